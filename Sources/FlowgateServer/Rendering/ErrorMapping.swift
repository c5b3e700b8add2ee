import FlowgateCore
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1

/// An error that knows its canonical form and any headers that must go with it (`Allow`, `Retry-After`).
protocol GatewayErrorConvertible: Error {
    var gatewayError: GatewayError { get }
    var responseHeaders: HTTPFields { get }
}

extension GatewayError: GatewayErrorConvertible {
    var gatewayError: GatewayError { self }
    var responseHeaders: HTTPFields {
        var headers = HTTPFields()
        if let seconds = retryAfterSeconds { headers[.retryAfter] = String(seconds) }
        if code == .unauthenticated { headers[.wwwAuthenticate] = #"Bearer realm="flowgate""# }
        return headers
    }
}

/// A path the router knows, asked with a method it does not serve there.
struct MethodNotAllowed: GatewayErrorConvertible {
    var method: HTTPRequest.Method
    var allowed: [HTTPRequest.Method]

    var gatewayError: GatewayError {
        let list = allowed.map(\.rawValue).joined(separator: ", ")
        return GatewayError(.methodNotAllowed, "Method \(method.rawValue) is not allowed here; allowed: \(list)")
    }

    var responseHeaders: HTTPFields {
        [.allow: allowed.map(\.rawValue).joined(separator: ", ")]
    }
}

enum ErrorMapping {
    /// The canonical form of any error, and whether it is a bug (to be logged with its details).
    static func canonical(_ error: any Error) -> (error: GatewayError, headers: HTTPFields, isBug: Bool) {
        switch error {
        case let convertible as any GatewayErrorConvertible:
            return (convertible.gatewayError, convertible.responseHeaders, false)
        case is NIOTooManyBytesError:
            return (payloadTooLarge(), [:], false)
        case let error as HTTPParserError:
            // The body's framing broke while a handler read it (a chunk size that overflows, a body
            // shorter than its Content-Length before the client closed): the client's fault, and the
            // connection cannot carry another request (``HTTPFramingGuard`` closes it).
            return (
                GatewayError(
                    .invalidRequest, "The request body is not well-framed HTTP/1.1 (\(error))",
                    details: [.init(field: "body", issue: "malformed HTTP framing")]),
                [.connection: "close"], false
            )
        case let error as HTTPError:
            return (fromHummingbird(error), error.headers, false)
        default:
            return (GatewayError(.internalError, "Internal error; the gateway's log has the details under this request id"), [:], true)
        }
    }

    static func payloadTooLarge() -> GatewayError {
        GatewayError(.payloadTooLarge, "Request body is larger than the gateway accepts")
    }

    /// Hummingbird's own errors: unmatched routes, failed parameter conversions, oversize bodies.
    private static func fromHummingbird(_ error: HTTPError) -> GatewayError {
        switch error.status {
        case .notFound: GatewayError(.notFound, "No such route")
        case .contentTooLarge: payloadTooLarge()
        case .methodNotAllowed: GatewayError(.methodNotAllowed, "Method not allowed")
        case .unauthorized: GatewayError(.unauthenticated, "Authentication required")
        case .forbidden: GatewayError(.forbidden, "Forbidden")
        default:
            if (400..<500).contains(error.status.code) {
                GatewayError(.invalidRequest, error.body ?? "Invalid request")
            } else {
                GatewayError(.internalError, "Internal error; the gateway's log has the details under this request id")
            }
        }
    }
}

extension HTTPField.Name {
    static let retryAfter = Self("Retry-After")!
}
