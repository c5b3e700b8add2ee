import AsyncHTTPClient
import FlowgateCore
import FlowgateProviders

extension ConnectionTransport {
    /// Sends a native call through the same stages as every canonical call — deadline, retry (reads
    /// only), bucket, breaker, client — and returns once the answer's head is in; the caller streams the
    /// body. A retried read's earlier answer is dropped unread. A request over the upstream caps is
    /// refused first, drawing no token and no breaker verdict.
    func forward(_ exchange: NativeExchange) async throws -> HTTPClientResponse {
        try checkCaps(client.request(for: exchange))
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

    /// ``UpstreamRequestLimits``' caps. Unlike a canonical call's, a native call's headers are mostly the
    /// client's own, so too many of them is the client's to fix: `400`, not `502`.
    private func checkCaps(_ request: HTTPClientRequest) throws {
        guard case .headers(let bytes)? = UpstreamRequestLimits.violation(url: request.url, headers: request.headers) else {
            return try UpstreamRequestLimits.check(request, connection: owner.connection, provider: owner.provider)
        }
        var error = GatewayError.invalid(
            "headers",
            "with the connection's credentials they come to \(bytes) bytes; at most \(UpstreamRequestLimits.maxHeaderBytes) are sent upstream"
        )
        error.connection = owner.connection
        error.provider = owner.provider
        throw error
    }
}
