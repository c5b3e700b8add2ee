import Hummingbird

/// Counts and times every answer by route template, method and status — never by raw path, so the
/// label set stays bounded whatever callers send.
struct HTTPMetricsMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let metrics: GatewayMetrics

    private static let knownMethods: Set<HTTPRequest.Method> = [.get, .head, .post, .put, .patch, .delete, .options]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let method = Self.knownMethods.contains(request.method) ? request.method.rawValue : "other"
        metrics.recordRequest(route: context.routeLabel, method: method, status: response.status.code, duration: ContinuousClock.now - start)
        return response
    }
}
