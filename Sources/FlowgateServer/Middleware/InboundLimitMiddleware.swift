import FlowgateCore
import Hummingbird

/// The inbound limit per gateway key (`keys[].rate`, docs/resilience.md#inbound-limit): a token bucket per key; a caller over
/// it gets `429 RATE_LIMITED` with `Retry-After` at once — it is the caller's own budget, so there is no
/// waiting — before any upstream budget is spent. Runs after ``AuthMiddleware``.
struct InboundLimitMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let store: any RateLimitStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let caller = context.caller, let rate = caller.rate, let bucket = caller.inboundBucket else {
            return try await next(request, context)
        }
        if case .reject(let retryAfter) = await store.reserve(bucket.key, size: bucket.size, maxWait: 0) {
            let seconds = RetryAfter.seconds(retryAfter)
            throw GatewayError(
                .rateLimited, "This key's request rate (\(rate.perSecond)/s, burst \(rate.burst)) is exceeded; retry after \(seconds) s",
                retryAfterSeconds: seconds, details: [.init(field: "key", issue: "over its rate limit")]
            )
        }
        return try await next(request, context)
    }
}
