import AsyncHTTPClient
import FlowgateCore
import FlowgateProviders

extension ConnectionTransport {
    /// Sends a native call through the same stages as every canonical call — deadline, retry (reads
    /// only), bucket, breaker, client — and returns once the answer's head is in; the caller streams the
    /// body. A retried read's earlier answer is dropped unread.
    func forward(_ exchange: NativeExchange) async throws -> HTTPClientResponse {
        let scope = RequestScope.current
        let logger = scope?.logger ?? fallbackLogger
        let budget = deadline.budget(within: scope?.deadline)
        do {
            return try await retry.run(exchange.call, budget) {
                try deadline.checkRemaining(budget)
                return try await bucket.run(exchange.call, budget) {
                    try await breaker.run { () async throws(UpstreamClient.Failure) in try await client.open(exchange, budget, logger: logger) }
                }
            }.response
        } catch let failure as UpstreamClient.Failure {
            throw canonical(failure, budget)
        }
    }
}
