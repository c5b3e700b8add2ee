import FlowgateCore
import FlowgateProviders

/// Retries of idempotent reads: after a refused connection or a 502/503/504 answer, with exponential
/// backoff (100, 200, 400 ms… half fixed, half random so many callers' retries spread out), and only
/// while another attempt still fits the call's budget. Writes are never retried: an upstream may have
/// applied a write whose answer was lost.
///
/// It sits outside the bucket and the breaker: every attempt is an upstream call, so each one draws a
/// token (the upstream counts it) and is judged by the breaker.
struct RetryStage: Sendable {
    /// Attempts after the first.
    let retries: Int
    let clock: any GatewayClock
    /// A value in `0...1`: the random half of each backoff (injected so tests are exact).
    let jitter: @Sendable () -> Double

    /// Statuses worth another attempt of a read.
    static let retryableStatuses: Set<Int> = [502, 503, 504]
    /// A retry is not started unless this much of the budget would remain after its backoff.
    static let minimumAttemptTime = Duration.milliseconds(50)

    init(retries: Int, clock: any GatewayClock, jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }) {
        self.retries = retries
        self.clock = clock
        self.jitter = jitter
    }

    /// Runs `attempt` until it answers something not worth retrying. An answer being streamed (a native
    /// read) that is retried is dropped unread, which closes its connection.
    func run<Answer: UpstreamOutcome>(_ call: UpstreamCall, _ budget: CallBudget, attempt: () async throws -> Answer) async throws -> Answer {
        var retried = 0
        while true {
            do {
                let reply = try await attempt()
                guard call.isRead, Self.retryableStatuses.contains(reply.asReply.status), retried < retries, let delay = backoff(retried, budget)
                else {
                    return reply
                }
                try await clock.sleep(for: delay)
            } catch UpstreamClient.Failure.connect where call.isRead && retried < retries {
                guard let delay = backoff(retried, budget) else { throw UpstreamClient.Failure.connect }
                try await clock.sleep(for: delay)
            }
            retried += 1
        }
    }

    /// The wait before retry number `retried + 1`, or nil when no attempt would fit after it.
    func backoff(_ retried: Int, _ budget: CallBudget) -> Duration? {
        let base = Duration.milliseconds(100) * (1 << min(retried, 6))
        let delay = base / 2 + (base / 2) * jitter()
        return clock.now + delay + Self.minimumAttemptTime < budget.deadline ? delay : nil
    }
}
