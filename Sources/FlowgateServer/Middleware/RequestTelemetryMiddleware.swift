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
        let id = RequestID.of(request.headers)
        var context = context
        context.requestID = id
        context.logger[metadataKey: "hb.request.id"] = .string(id)
        let start = ContinuousClock.now
        var response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        // The router records the matched route in storage shared with this copy of the context.
        Self.record(
            request.method, route: context.routeLabel, status: response.status.code, elapsed: elapsed, metrics: metrics, logger: context.logger)
        response.headers[.requestID] = id
        return response
    }

    /// The metrics and the access line of one answered request; also the hit path's below the router
    /// (``CacheHitPath``), so both write the same.
    static func record(_ method: HTTPRequest.Method, route: String, status: Int, elapsed: Duration, metrics: GatewayMetrics, logger: Logger) {
        metrics.recordRequest(route: route, method: methodLabel(method), status: status, duration: elapsed)
        logger.info(
            "\(method.rawValue) \(route) \(status)",
            metadata: [
                "http.status": "\(status)",
                "duration_ms": "\(Double(elapsed.nanoseconds) / 1_000_000)",
            ]
        )
    }

    /// Known methods by name, anything else as `other`, so a caller cannot grow the label set.
    static func methodLabel(_ method: HTTPRequest.Method) -> String {
        switch method {
        case .get, .head, .post, .put, .patch, .delete, .options: method.rawValue
        default: "other"
        }
    }
}
