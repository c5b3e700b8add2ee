import Hummingbird
import Logging

/// One log line per answered request: method, route template, status and duration. Headers are never
/// logged, so neither gateway keys nor anything an upstream echoes can leak this way.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        context.logger.info(
            "\(request.method.rawValue) \(context.routeLabel) \(response.status.code)",
            metadata: [
                "http.status": "\(response.status.code)",
                "duration_ms": "\(Double(elapsed.nanoseconds) / 1_000_000)",
            ]
        )
        return response
    }
}
