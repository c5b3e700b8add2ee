/// A canonical error code with its HTTP status (docs/canonical-api.md#errors).
///
/// A struct over a closed list of static members rather than an enum, as `HTTPClientError` does, so a
/// code can be added without breaking exhaustive switches in callers. `rawValue` is bounded and safe as
/// a metric label.
public struct ErrorCode: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String
    public let status: Int
    /// Whether the same request may succeed if simply tried again later.
    public let isRetryable: Bool

    private init(_ rawValue: String, _ status: Int, retryable: Bool = false) {
        self.rawValue = rawValue
        self.status = status
        self.isRetryable = retryable
    }

    public var description: String { rawValue }

    public static let invalidRequest = ErrorCode("INVALID_REQUEST", 400)
    public static let unauthenticated = ErrorCode("UNAUTHENTICATED", 401)
    public static let forbidden = ErrorCode("FORBIDDEN", 403)
    public static let notFound = ErrorCode("NOT_FOUND", 404)
    public static let methodNotAllowed = ErrorCode("METHOD_NOT_ALLOWED", 405)
    public static let conflict = ErrorCode("CONFLICT", 409)
    public static let payloadTooLarge = ErrorCode("PAYLOAD_TOO_LARGE", 413)
    /// A Flowgate addition to the error table: a request line longer than `server.max_uri_bytes` (nginx answers 414 too).
    public static let uriTooLong = ErrorCode("URI_TOO_LONG", 414)
    public static let unprocessable = ErrorCode("UNPROCESSABLE", 422)
    public static let rateLimited = ErrorCode("RATE_LIMITED", 429, retryable: true)
    public static let internalError = ErrorCode("INTERNAL", 500)
    public static let notSupported = ErrorCode("NOT_SUPPORTED", 501)
    public static let upstreamAuthFailed = ErrorCode("UPSTREAM_AUTH_FAILED", 502)
    public static let upstreamError = ErrorCode("UPSTREAM_ERROR", 502, retryable: true)
    public static let upstreamUnavailable = ErrorCode("UPSTREAM_UNAVAILABLE", 503, retryable: true)
    public static let upstreamTimeout = ErrorCode("UPSTREAM_TIMEOUT", 504, retryable: true)

    public static let all: [ErrorCode] = [
        .invalidRequest, .unauthenticated, .forbidden, .notFound, .methodNotAllowed, .conflict, .payloadTooLarge,
        .uriTooLong, .unprocessable, .rateLimited, .internalError, .notSupported, .upstreamAuthFailed, .upstreamError,
        .upstreamUnavailable, .upstreamTimeout,
    ]

    public init?(rawValue: String) {
        guard let code = Self.all.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = code
    }
}

extension ErrorCode: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let code = ErrorCode(rawValue: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown error code \(text)")
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension ErrorCode: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) { writer.string(rawValue) }
}
