import FlowgateCore
import Hummingbird
import Logging

/// Renders every failure below it in the canonical envelope (docs/canonical-api.md#errors): the gateway's own errors,
/// Hummingbird's 404s and 413s, and thrown bugs — which answer `500 INTERNAL` with the request id
/// while their details go only to the log.
struct ErrorEnvelopeMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    /// The native passthrough's rules: its errors are rendered in the provider's envelope instead.
    var native: [ProviderKind: NativeRules] = [:]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let (gatewayError, headers, isBug) = ErrorMapping.canonical(error)
            if isBug {
                context.logger.error(
                    "Unhandled error",
                    metadata: ["error.type": "\(String(reflecting: type(of: error)))", "error": "\(error)"]
                )
            } else {
                context.logger.debug("Request failed", metadata: ["error.code": "\(gatewayError.code)"])
            }
            if context.endpointPath == NativeErrorRendering.routePath,
                let response = try NativeErrorRendering.response(gatewayError, headers: headers, request: request, rules: native)
            {
                return response
            }
            return try JSONResponse.make(
                .init(code: gatewayError.status), gatewayError.envelope(requestID: context.requestID), headers: headers
            )
        }
    }
}
