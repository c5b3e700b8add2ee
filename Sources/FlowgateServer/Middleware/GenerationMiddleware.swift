import Hummingbird

/// Pins the request to the config generation current when it arrives (``GenerationStore``): every
/// later step — limits, auth, routing to a connection, the handler — reads that one, so a reload in the
/// middle of a request changes nothing for it.
struct GenerationMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let store: GenerationStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.generation = store.generation
        return try await next(request, context)
    }
}
