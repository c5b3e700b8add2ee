import FlowgateCore
import FlowgateProviders
import Foundation

/// The pipeline around every upstream call of one connection (DESIGN §3): the token bucket of the
/// call's route, then the connection's circuit breaker; afterwards the answer's outcome goes back to
/// the breaker, and what the answer says about the rate limit drains the bucket.
struct UpstreamGuard: Sendable {
    let connection: String
    /// Breakers are per tenant's connection: names repeat across tenants.
    let breakerKey: String
    let provider: ProviderKind
    /// Digest of the credential the buckets belong to.
    let credential: String
    let buckets: [String: TokenBucket.Size]
    let limits: any RateLimitStore
    let breakers: any BreakerStore
    let breakerSettings: CircuitBreaker.Settings
    let maxWait: Duration
    let metrics: GatewayMetrics

    /// A call allowed through; `settle` must follow.
    struct Pass: Sendable {
        let bucket: String
        let isProbe: Bool
    }

    /// Waits for the call's token (FIFO, at most `maxWait` and never past `deadline`) and the breaker's
    /// permission, or throws the canonical refusal: `429` naming the bucket, `503` while the circuit is open.
    func admit(_ call: UpstreamCall, deadline: ContinuousClock.Instant) async throws -> Pass {
        let label = "\(connection)/\(call.bucket)"
        let size = buckets[call.bucket] ?? Self.fallback
        let allowed = min(maxWait, max(.zero, deadline - .now))
        switch await limits.reserve(BucketKey(credential: credential, bucket: call.bucket), size: size, maxWait: allowed.seconds) {
        case .reject(let retryAfter):
            metrics.recordRateLimitRejection(bucket: label)
            throw GatewayError(
                .rateLimited, "The gateway's budget for \(label) is spent; retry after \(Self.seconds(retryAfter)) s",
                retryAfterSeconds: Self.seconds(retryAfter), connection: connection, provider: provider,
                details: [.init(field: "bucket", issue: label)]
            )
        case .admit(let wait):
            if wait > 0 {
                metrics.recordRateLimitWait(bucket: label)
                try await Task.sleep(for: .seconds(wait))
            }
        }
        switch await breakers.acquire(breakerKey, settings: breakerSettings) {
        case .refused(let retryAfter):
            throw GatewayError(
                .upstreamUnavailable, "\(provider.rawValue) failed repeatedly; the circuit is open, retry after \(Self.seconds(retryAfter)) s",
                retryAfterSeconds: Self.seconds(retryAfter), connection: connection, provider: provider
            )
        case .allowed(let isProbe):
            await publishCircuit()
            return Pass(bucket: call.bucket, isProbe: isProbe)
        }
    }

    /// An answer came: 5xx counts against the circuit, anything else for it; a rate-limit signal
    /// drains the bucket so later calls wait or are refused here instead of upstream.
    func settle(_ pass: Pass, reply: UpstreamReply) async {
        await breakers.record(breakerKey, settings: breakerSettings, success: reply.status < 500, isProbe: pass.isProbe)
        if let until = RateLimitFeedback.blockedUntil(reply, provider: provider, now: Date()) {
            let size = buckets[pass.bucket] ?? Self.fallback
            await limits.block(BucketKey(credential: credential, bucket: pass.bucket), size: size, until: until)
        }
        await publishCircuit()
    }

    /// No answer came (timeout, refused, broken connection): a failure for the circuit.
    func settle(_ pass: Pass, failure: UpstreamClient.Failure) async {
        // An oversized answer is a contract problem, not an outage.
        await breakers.record(breakerKey, settings: breakerSettings, success: failure == .bodyTooLarge, isProbe: pass.isProbe)
        await publishCircuit()
    }

    private func publishCircuit() async {
        metrics.setCircuit(connection: breakerKey, state: await breakers.circuit(breakerKey))
    }

    /// A bucket a route table does not define cannot pass start-up checks; this only keeps the type total.
    static let fallback = TokenBucket.Size(ratePerSecond: 1, burst: 1)

    /// Whole seconds for `Retry-After`, rounded up so a client never retries early.
    static func seconds(_ interval: TimeInterval) -> Int {
        max(1, Int(interval.rounded(.up)))
    }
}

extension Duration {
    var seconds: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
