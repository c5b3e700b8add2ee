import FlowgateCore
import Hummingbird

/// Refuses requests too big to be worth reading, before any other work: a request target over
/// `max_uri_bytes` (414) or a declared body over `max_body_bytes` (413), both as the request's config
/// generation says. Bodies without a length are bounded where they are collected.
struct RequestLimitsMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let server = try context.requireGeneration().config.server
        let maxURIBytes = server.maxURIBytes
        let maxBodyBytes = server.maxBodyBytes
        let uriBytes = request.uri.string.utf8.count
        if uriBytes > maxURIBytes {
            throw GatewayError(
                .uriTooLong, "Request target is \(uriBytes) bytes; at most \(maxURIBytes) are accepted",
                details: [.init(field: nil, issue: "request target longer than \(maxURIBytes) bytes")]
            )
        }
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxBodyBytes {
            throw GatewayError(
                .payloadTooLarge, "Request body is \(declared) bytes; at most \(maxBodyBytes) are accepted",
                details: [.init(field: "body", issue: "larger than \(maxBodyBytes) bytes")]
            )
        }
        return try await next(request, context)
    }
}
