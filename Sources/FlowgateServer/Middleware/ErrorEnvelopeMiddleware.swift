import FlowgateCore
import Hummingbird
import Logging

/// Renders every failure below it in the canonical envelope (DESIGN §4): the gateway's own errors,
/// Hummingbird's 404s and 413s, and thrown bugs — which answer `500 INTERNAL` with the request id
/// while their details go only to the log.
struct ErrorEnvelopeMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

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
            return try JSONResponse.make(
                .init(code: gatewayError.status), gatewayError.envelope(requestID: context.requestID), headers: headers
            )
        }
    }
}
