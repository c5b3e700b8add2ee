import Hummingbird

/// Turns Hummingbird's "no route" into `405` with `Allow` when the path exists under other methods;
/// the router itself answers 404 for a known path with the wrong method.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let routes: CanonicalRouteIndex

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && context.endpointPath == "NotFound" {
            let allowed = routes.methods(forPath: request.uri.path)
            if allowed.isEmpty { throw error }
            throw MethodNotAllowed(method: request.method, allowed: allowed)
        }
    }
}
