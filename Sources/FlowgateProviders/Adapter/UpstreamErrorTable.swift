import FlowgateCore
import Foundation

/// A provider's documented error codes mapped to canonical ones (docs/canonical-api.md#errors): the table in code that
/// every documented upstream code has a row in, and a test.
public struct UpstreamErrorTable: Sendable {
    public struct Row: Sendable {
        public var code: ErrorCode
        /// Written for the caller; the upstream's own message goes to `upstream.message` only when it
        /// is safe to repeat (see ``echoesUpstreamMessage``).
        public var message: String
        public init(_ code: ErrorCode, _ message: String) {
            self.code = code
            self.message = message
        }
    }

    public var rows: [String: Row]

    public init(_ rows: [String: Row]) {
        self.rows = rows
    }

    public subscript(code: String) -> Row? { rows[code] }

    /// The canonical error for an upstream status with no (known) code: the error table by HTTP class (docs/canonical-api.md#errors).
    public static func byStatus(_ status: Int) -> ErrorCode {
        switch status {
        case 400, 422: .unprocessable
        case 401: .upstreamAuthFailed
        case 403: .forbidden
        case 404: .notFound
        case 409: .conflict
        case 429: .rateLimited
        case 503: .upstreamUnavailable
        case 504: .upstreamTimeout
        default: .upstreamError
        }
    }
}
