import FlowgateCore
import FlowgateProviders
import Foundation

/// The upstream limiter: each call draws from the bucket its route names, keyed by the credential the
/// upstream counts. An empty bucket makes the call wait its turn (FIFO, at most `maxWait` and never
/// past the call's budget) or refuses it with `429` naming the bucket, at no cost to the upstream.
/// Afterwards, what the answer says about the upstream's limit (a 429, a zero remaining budget)
/// blocks the bucket, so the next calls wait here instead of being refused there.
struct BucketStage: Sendable {
    let owner: ConnectionLabels
    /// Digest of the credential the buckets belong to (never the secret).
    let credential: String
    let sizes: [String: TokenBucket.Size]
    let store: any RateLimitStore
    let maxWait: Duration
    let clock: any GatewayClock
    let metrics: GatewayMetrics

    func run<Answer: UpstreamOutcome>(_ call: UpstreamCall, _ budget: CallBudget, next: () async throws -> Answer) async throws -> Answer {
        try await admit(call, budget)
        let answer = try await next()
        await learn(from: answer.asReply, bucket: call.bucket)
        return answer
    }

    /// Waits for the call's token, or throws the canonical refusal.
    func admit(_ call: UpstreamCall, _ budget: CallBudget) async throws {
        let allowed = min(maxWait, max(.zero, budget.deadline - clock.now))
        switch await store.reserve(key(call.bucket), size: size(call.bucket), maxWait: allowed.seconds) {
        case .reject(let retryAfter):
            let label = owner.bucketLabel(call.bucket)
            metrics.recordRateLimitRejection(owner, bucket: label)
            let seconds = RetryAfter.seconds(retryAfter)
            throw GatewayError(
                .rateLimited, "The gateway's budget for \(label) is spent; retry after \(seconds) s", retryAfterSeconds: seconds,
                connection: owner.connection, provider: owner.provider, details: [.init(field: "bucket", issue: label)]
            )
        case .admit(let wait):
            guard wait > 0 else { return }
            metrics.recordRateLimitWait(owner, bucket: owner.bucketLabel(call.bucket))
            try await clock.sleep(for: .seconds(wait))
        }
    }

    /// A rate-limit signal in an answer drains the bucket the call used.
    func learn(from reply: UpstreamReply, bucket: String) async {
        guard let until = RateLimitFeedback.blockedUntil(reply, provider: owner.provider, now: clock.date) else { return }
        await store.block(key(bucket), size: size(bucket), until: until)
    }

    private func key(_ bucket: String) -> BucketKey { BucketKey(credential: credential, bucket: bucket) }

    private func size(_ bucket: String) -> TokenBucket.Size { sizes[bucket] ?? Self.fallback }

    /// A bucket a route table does not define cannot pass start-up checks; this only keeps the type total.
    static let fallback = TokenBucket.Size(ratePerSecond: 1, burst: 1)
}
