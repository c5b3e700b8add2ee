import HTTPTypes
import Hummingbird

/// A Geotareas error answer: an HTTP status, an UPPER_SNAKE code and a message,
/// rendered as `{"success": false, "data": null, "error": {"code", "message"}}`.
struct GeotareasError: Error, Sendable {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    /// Headers the answer must carry besides the envelope, e.g. `Retry-After` on a 429.
    var headers: HTTPFields = [:]

    /// A missing required header (`tenant`, `Authorization`, `X-API-Key`).
    static func badRequest(_ message: String) -> Self { .init(status: .badRequest, code: "BAD_REQUEST", message: message) }

    /// Invalid parameters or body: length limits, enums, formats.
    static func validation(_ message: String) -> Self { .init(status: .badRequest, code: "VALIDATION_ERROR", message: message) }

    /// Bad or expired JWT, bad API key, bad login.
    static func unauthorized(_ message: String) -> Self { .init(status: .unauthorized, code: "UNAUTHORIZED", message: message) }

    /// The user lacks an `APICLI_WORKFLOW_*` permission.
    static func forbidden(_ message: String) -> Self { .init(status: .forbidden, code: "FORBIDDEN", message: message) }

    static func notFound(_ message: String) -> Self { .init(status: .notFound, code: "NOT_FOUND", message: message) }

    /// A rate limit or login lockout; `headers` carries the limit headers and `Retry-After`.
    static func rateLimited(_ message: String, headers: HTTPFields) -> Self {
        .init(status: .tooManyRequests, code: "RATE_LIMITED", message: message, headers: headers)
    }

    static let internalError = Self(status: .internalServerError, code: "INTERNAL_ERROR", message: "Unexpected server error.")

    /// The documented description of each code (docs/upstreams/geotareas.md#errors), used for forced faults.
    static func defaultMessage(for code: String) -> String {
        switch code {
        case "BAD_REQUEST": "Missing required headers."
        case "VALIDATION_ERROR": "Invalid params."
        case "UNAUTHORIZED": "Invalid or expired JWT / API Key."
        case "FORBIDDEN": "User lacks required permission."
        case "NOT_FOUND": "Resource not found."
        case "RATE_LIMITED": "Exceeded rate limit."
        default: "Unexpected server error."
        }
    }

    /// The same error for a Hummingbird error (the router's 404, a 413 body cap) so nothing under
    /// `/apidev/` ever answers outside the envelope.
    static func from(_ error: any HTTPResponseError) -> Self {
        switch error.status {
        case .notFound: .notFound("Resource not found.")
        case .badRequest, .contentTooLarge: .validation("Invalid params.")
        default: .init(status: error.status, code: "INTERNAL_ERROR", message: "Unexpected server error.")
        }
    }

    var response: Response { GeotareasEnvelope.error(self) }
}
