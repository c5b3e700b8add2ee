import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An error in the vibecode envelope, `{"success":false,"error":{"code","message","hint"?,"retryAfter"?}}`
/// (the vibecode errors page). Handlers throw it and the router renders it.
struct Bitrix24Error: HTTPResponseError {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var hint: String?
    /// Seconds; the docs put it on 429 and 504 and mirror it in `Retry-After`.
    var retryAfter: Int?
    /// Extra headers, such as the rate-limit counters of the key that made the request.
    var headers: HTTPFields = [:]

    func response(from request: Request, context: some RequestContext) throws -> Response { render() }

    func render() -> Response {
        var headers = headers
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        let body = Envelope(error: .init(code: code, message: message, hint: hint, retryAfter: retryAfter))
        return Bitrix24JSON.response(status: status, body, headers: headers)
    }

    /// The whole error body.
    private struct Envelope: Encodable {
        let success = false
        let error: Detail
    }

    /// The `error` object; absent optional fields are left out, as the docs mark them optional.
    private struct Detail: Encodable {
        let code: String
        let message: String
        let hint: String?
        let retryAfter: Int?
    }
}

extension Bitrix24Error {
    static let missingAPIKey = Self(status: .unauthorized, code: "MISSING_API_KEY", message: "The X-Api-Key header was not provided")
    static let invalidAPIKey = Self(status: .unauthorized, code: "INVALID_API_KEY", message: "Invalid or expired API key")
    static let invalidAppKey = Self(
        status: .unauthorized, code: "INVALID_APP_KEY", message: "Application keys require a user session",
        hint: "Send the user session token in the Authorization: Bearer header"
    )
    static let tokenExpired = Self(
        status: .unauthorized, code: "TOKEN_EXPIRED", message: "The OAuth user session has expired",
        hint: "Re-authorize via /v1/oauth/authorize"
    )
    static let scopeDenied = Self(status: .forbidden, code: "SCOPE_DENIED", message: "This endpoint requires 'bizproc' scope")
    static let oauthRequired = Self(
        status: .forbidden, code: "OAUTH_REQUIRED", message: "This endpoint requires an application key with a user session",
        hint: "Use a vibe_app_ key with Authorization: Bearer <session token>"
    )
    static let workflowNotFound = Self(status: .notFound, code: "ENTITY_NOT_FOUND", message: "Workflow not found")

    static func validation(_ message: String) -> Self { Self(status: .badRequest, code: "VALIDATION_ERROR", message: message) }

    static func entityNotFound(_ message: String) -> Self { Self(status: .notFound, code: "ENTITY_NOT_FOUND", message: message) }

    /// Bitrix itself refused; the facade passes the native text on in `message`.
    static func bitrix(_ message: String) -> Self {
        Self(status: .unprocessableContent, code: "BITRIX_ERROR", message: message, hint: "Bitrix24 rejected the call; do not retry it unchanged")
    }

    static func rateLimited(retryAfter: Int) -> Self {
        Self(
            status: .tooManyRequests, code: "RATE_LIMITED", message: "QUERY_LIMIT_EXCEEDED",
            hint: "Wait 1-2 seconds and retry. Use POST /v1/batch to combine up to 50 calls in 1 request.", retryAfter: retryAfter
        )
    }

    /// [3P] the portal's own limit surfaces as 502, not 429; the native code rides in the message.
    static let portalLimit = Self(
        status: .badGateway, code: "BITRIX_UNAVAILABLE", message: "Bitrix24 is unavailable: QUERY_LIMIT_EXCEEDED",
        hint: "The portal request limit was reached; retry in about 5 seconds"
    )

    /// A forced error (fault injection) with the documented message for the codes we know.
    static func forced(status: Int, code: String) -> Self {
        let known: [String: String] = [
            "MISSING_API_KEY": missingAPIKey.message, "INVALID_API_KEY": invalidAPIKey.message, "TOKEN_EXPIRED": tokenExpired.message,
            "TOKEN_MISSING": "The key has no connected Bitrix24 tokens", "SCOPE_DENIED": scopeDenied.message,
            "BITRIX_ACCESS_DENIED": "Bitrix24 denied access", "ENTITY_NOT_FOUND": workflowNotFound.message,
            "RATE_LIMITED": "QUERY_LIMIT_EXCEEDED", "BITRIX_UNAVAILABLE": "Bitrix24 is unavailable", "QUEUE_TIMEOUT": "Queue timeout",
            "INTERNAL_ERROR": "Internal error",
        ]
        // The docs put retryAfter on 429 and on 504 (queue timeout); a forced one carries it too.
        let retryAfter: Int? = status == 429 || status == 504 ? 2 : nil
        return Self(status: .init(code: status), code: code, message: known[code] ?? code, retryAfter: retryAfter)
    }
}

/// JSON responses as the facade writes them.
enum Bitrix24JSON {
    static func response(status: HTTPResponse.Status, _ value: some Encodable, headers: HTTPFields = [:]) -> Response {
        let encoder = JSONEncoder()
        // Sorted keys: JSON objects are unordered, but the same state should give the same bytes.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every body here is built from plain strings and numbers, so encoding cannot fail in practice.
        let data = (try? encoder.encode(value)) ?? Data(#"{"success":false}"#.utf8)
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
