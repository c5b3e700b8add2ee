import FlowgateCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Errors the gateway itself raises on a native call, in the envelope of the provider the client speaks
/// (an official SDK raises its own typed errors from them), with the canonical status and `Retry-After`
/// and the canonical code in `X-Flowgate-Error`.
///
/// Codes are the provider's own where one means the same (Cloudflare `10000` for authentication, Bitrix24
/// `RATE_LIMITED`, Geotareas `FORBIDDEN`…), else the canonical code (for Cloudflare, whose codes are
/// numbers, the HTTP status). Messages are the gateway's, which never carry secrets.
enum NativeErrorEnvelope {
    static let headerName = HTTPField.Name("X-Flowgate-Error")!

    static func response(_ error: GatewayError, headers: HTTPFields, provider: ProviderKind) throws -> Response {
        var headers = headers
        headers[headerName] = error.code.rawValue
        headers[.contentType] = "application/json"
        let body = try CanonicalJSON.encode(document(error, provider: provider))
        return Response(status: .init(code: error.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func document(_ error: GatewayError, provider: ProviderKind) -> JSONValue {
        let message = JSONValue.string(error.message)
        switch provider {
        case .cloudflare:
            return .object([
                "success": .bool(false), "errors": .array([.object(["code": .int(Int64(cloudflareCode(error))), "message": message])]),
                "messages": .array([]), "result": .null,
            ])
        case .bitrix24:
            var detail: [String: JSONValue] = ["code": .string(bitrixCode(error)), "message": message]
            if let seconds = error.retryAfterSeconds { detail["retryAfter"] = .int(Int64(seconds)) }
            return .object(["success": .bool(false), "error": .object(detail)])
        case .geotareas:
            return .object(["success": .bool(false), "data": .null, "error": .object(["code": .string(geotareasCode(error)), "message": message])])
        case .workingflow:
            return .object(["error": message, "code": .string(workingflowCode(error))])
        }
    }

    /// Cloudflare answers `10000 Authentication error` for a missing, bad or insufficient token.
    static func cloudflareCode(_ error: GatewayError) -> Int {
        [.unauthenticated, .forbidden].contains(error.code) ? 10000 : error.status
    }

    static func bitrixCode(_ error: GatewayError) -> String {
        switch error.code {
        case .unauthenticated: "INVALID_API_KEY"
        case .forbidden: "SCOPE_DENIED"
        case .notFound: "ENTITY_NOT_FOUND"
        case .invalidRequest: "VALIDATION_ERROR"
        case .rateLimited: "RATE_LIMITED"
        case .upstreamUnavailable: "BITRIX_UNAVAILABLE"
        case .internalError: "INTERNAL_ERROR"
        default: error.code.rawValue
        }
    }

    static func geotareasCode(_ error: GatewayError) -> String {
        switch error.code {
        case .unauthenticated: "UNAUTHORIZED"
        case .forbidden: "FORBIDDEN"
        case .notFound: "NOT_FOUND"
        case .invalidRequest: "VALIDATION_ERROR"
        case .rateLimited: "RATE_LIMITED"
        case .internalError: "INTERNAL_ERROR"
        default: error.code.rawValue
        }
    }

    static func workingflowCode(_ error: GatewayError) -> String {
        switch error.code {
        case .unauthenticated: "UNAUTHORIZED"
        case .internalError: "INTERNAL_ERROR"
        default: error.code.rawValue
        }
    }
}
