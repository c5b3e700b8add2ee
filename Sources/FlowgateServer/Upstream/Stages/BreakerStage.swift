import FlowgateCore
import FlowgateProviders

/// The connection's circuit breaker: while it is open, calls fail fast with `503` and `Retry-After`
/// instead of waiting on an upstream that is down; one probe at a time tests it once the cooldown is
/// over. A 5xx answer or no answer at all counts against the circuit, anything else for it.
struct BreakerStage: Sendable {
    let owner: ConnectionLabels
    let store: any BreakerStore
    let settings: CircuitBreaker.Settings
    let metrics: GatewayMetrics

    func run<Answer: UpstreamOutcome>(next: () async throws(UpstreamClient.Failure) -> Answer) async throws -> Answer {
        let isProbe: Bool
        switch await store.acquire(owner.breakerKey, settings: settings) {
        case .refused(let retryAfter):
            let seconds = RetryAfter.seconds(retryAfter)
            throw GatewayError(
                .upstreamUnavailable, "\(owner.provider.rawValue) failed repeatedly; the circuit is open, retry after \(seconds) s",
                retryAfterSeconds: seconds, connection: owner.connection, provider: owner.provider
            )
        case .allowed(let probe):
            isProbe = probe
        }
        do {
            let answer = try await next()
            await record(success: answer.asReply.status < 500, isProbe: isProbe)
            return answer
        } catch {
            // No answer (timeout, refused, broken, or the caller left). An oversized answer is a
            // contract problem, not an outage.
            await record(success: error == .bodyTooLarge, isProbe: isProbe)
            throw error
        }
    }

    private func record(success: Bool, isProbe: Bool) async {
        await store.record(owner.breakerKey, settings: settings, success: success, isProbe: isProbe)
        metrics.setCircuit(owner, state: await store.circuit(owner.breakerKey))
    }
}
