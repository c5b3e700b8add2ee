import AsyncHTTPClient
import FlowgateCore
import FlowgateProviders
import Logging

/// Carries one connection's upstream calls through the stages of the upstream path, in this order:
///
///     deadline → retry → bucket → breaker → client
///
/// The deadline stage sets the call's budget from the request's deadline; retries of idempotent reads
/// wrap the rest, so each attempt draws a token and is judged by the breaker; the client stage makes
/// the HTTP exchange within what is left. Each stage is its own type with its own tests. Before any of
/// them, a request over the caps of ``UpstreamRequestLimits`` is refused: no token, no breaker verdict.
struct ConnectionTransport: UpstreamTransport {
    let owner: ConnectionLabels
    let deadline: DeadlineStage
    let retry: RetryStage
    let bucket: BucketStage
    let breaker: BreakerStage
    let client: ClientStage
    let fallbackLogger: Logger

    func send(_ call: UpstreamCall) async throws -> UpstreamReply {
        try UpstreamRequestLimits.check(client.request(for: call), connection: owner.connection, provider: owner.provider)
        let scope = RequestScope.current
        let logger = scope?.logger ?? fallbackLogger
        let budget = deadline.budget(within: scope?.deadline)
        do {
            return try await retry.run(call, budget) {
                try deadline.checkRemaining(budget)
                return try await bucket.run(call, budget) {
                    try await breaker.run { () async throws(UpstreamClient.Failure) in try await client.fetch(call, budget, logger: logger) }
                }
            }
        } catch let failure as UpstreamClient.Failure {
            throw canonical(failure, budget)
        }
    }

    /// Opens a call whose body the caller streams (file downloads): the same stages but retry, since a
    /// stream cannot be replayed; the budget covers the answer's head.
    func open(_ call: UpstreamCall) async throws -> HTTPClientResponse {
        try UpstreamRequestLimits.check(client.request(for: call), connection: owner.connection, provider: owner.provider)
        let scope = RequestScope.current
        let logger = scope?.logger ?? fallbackLogger
        let budget = deadline.budget(within: scope?.deadline)
        do {
            try deadline.checkRemaining(budget)
            return try await bucket.run(call, budget) {
                try await breaker.run { () async throws(UpstreamClient.Failure) in try await client.open(call, budget, logger: logger) }
            }.response
        } catch let failure as UpstreamClient.Failure {
            throw canonical(failure, budget)
        }
    }

    /// A call that got no answer, in canonical form.
    func canonical(_ failure: UpstreamClient.Failure, _ budget: CallBudget) -> GatewayError {
        let provider = owner.provider
        let message =
            switch failure {
            case .timeout: budget.timeoutMessage(provider)
            case .connect: "\(provider.rawValue) could not be reached"
            case .bodyTooLarge: "\(provider.rawValue) answered more than \(client.maxAnswerBytes) bytes"
            case .transport: "The connection to \(provider.rawValue) broke before a complete answer"
            }
        let code: ErrorCode =
            switch failure {
            case .timeout: .upstreamTimeout
            case .connect: .upstreamUnavailable
            case .bodyTooLarge, .transport: .upstreamError
            }
        return GatewayError(code, message, connection: owner.connection, provider: provider)
    }
}
