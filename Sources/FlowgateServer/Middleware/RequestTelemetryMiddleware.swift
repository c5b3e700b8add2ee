import Hummingbird
import Logging

/// What the gateway records about every request, in one pass around the rest of the pipeline:
/// - its id (``RequestID``), echoed in `X-Request-Id` and set on the request logger, so every log line
///   of the request carries it;
/// - one access-log line: method, route template, status and duration. Headers are never logged, so
///   neither gateway keys nor anything an upstream echoes can leak this way;
/// - the request metrics, by route template, method and status — never by raw path, so the label set
///   stays bounded whatever callers send.
///
/// One middleware rather than three because every layer costs a call, a context copy and, here, a clock
/// read per request, which showed on cache hits; the three share one start time.
struct RequestTelemetryMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let metrics: GatewayMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = request.headers[.requestID].flatMap { RequestID.isWellFormed($0) ? $0 : nil } ?? RequestID.make()
        var context = context
        context.requestID = id
        context.logger[metadataKey: "hb.request.id"] = .string(id)
        let start = ContinuousClock.now
        var response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        // The router records the matched route in storage shared with this copy of the context.
        let route = context.routeLabel
        metrics.recordRequest(route: route, method: Self.methodLabel(request.method), status: response.status.code, duration: elapsed)
        context.logger.info(
            "\(request.method.rawValue) \(route) \(response.status.code)",
            metadata: [
                "http.status": "\(response.status.code)",
                "duration_ms": "\(Double(elapsed.nanoseconds) / 1_000_000)",
            ]
        )
        response.headers[.requestID] = id
        return response
    }

    /// Known methods by name, anything else as `other`, so a caller cannot grow the label set.
    static func methodLabel(_ method: HTTPRequest.Method) -> String {
        switch method {
        case .get, .head, .post, .put, .patch, .delete, .options: method.rawValue
        default: "other"
        }
    }
}
