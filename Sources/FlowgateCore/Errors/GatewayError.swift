/// Every failure a caller can see, in the canonical shape of docs/canonical-api.md#errors.
///
/// Messages are written for the caller and never carry upstream URLs, credentials or stack traces;
/// what an operator needs beyond that goes to the log under the request id.
public struct GatewayError: Error, Sendable, Hashable {
    /// What the upstream said, when an upstream answer caused the error.
    public struct Upstream: Sendable, Hashable, Codable {
        public var status: Int?
        public var code: String?
        public var message: String?
        public init(status: Int?, code: String?, message: String?) {
            self.status = status
            self.code = code
            self.message = message
        }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(status, forKey: .status)
            try container.encode(code, forKey: .code)
            try container.encode(message, forKey: .message)
        }
    }

    /// One precise complaint about the request: which field, and what is wrong with it.
    public struct Detail: Sendable, Hashable, Codable {
        public var field: String?
        public var issue: String
        public init(field: String?, issue: String) {
            self.field = field
            self.issue = issue
        }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(field, forKey: .field)
            try container.encode(issue, forKey: .issue)
        }
    }

    public var code: ErrorCode
    public var message: String
    public var retryAfterSeconds: Int?
    public var connection: String?
    public var provider: ProviderKind?
    public var upstream: Upstream?
    public var details: [Detail]?

    public init(
        _ code: ErrorCode, _ message: String, retryAfterSeconds: Int? = nil, connection: String? = nil,
        provider: ProviderKind? = nil, upstream: Upstream? = nil, details: [Detail]? = nil
    ) {
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
        self.connection = connection
        self.provider = provider
        self.upstream = upstream
        self.details = details
    }

    public var status: Int { code.status }

    /// An `INVALID_REQUEST` naming the one field at fault.
    public static func invalid(_ field: String?, _ issue: String) -> GatewayError {
        let subject = field.map { "\($0): \(issue)" } ?? issue
        return GatewayError(.invalidRequest, "Invalid request: \(subject)", details: [Detail(field: field, issue: issue)])
    }

    /// An `INVALID_REQUEST` carrying every problem found, so a caller can fix them all at once.
    public static func invalid(_ details: [Detail]) -> GatewayError {
        let summary = details.prefix(3).map { d in d.field.map { "\($0): \(d.issue)" } ?? d.issue }.joined(separator: "; ")
        return GatewayError(.invalidRequest, "Invalid request: \(summary)", details: details)
    }
}

extension GatewayError {
    /// The `error` object of the envelope, with every field present.
    public struct Body: Sendable, Hashable, Codable {
        public var code: ErrorCode
        public var message: String
        public var status: Int
        public var retryable: Bool
        public var retryAfterSeconds: Int?
        public var requestID: String?
        public var connection: String?
        public var provider: ProviderKind?
        public var upstream: Upstream?
        public var details: [Detail]?

        enum CodingKeys: String, CodingKey {
            case code, message, status, retryable
            case retryAfterSeconds = "retry_after_s"
            case requestID = "request_id"
            case connection, provider, upstream, details
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(code, forKey: .code)
            try container.encode(message, forKey: .message)
            try container.encode(status, forKey: .status)
            try container.encode(retryable, forKey: .retryable)
            try container.encode(retryAfterSeconds, forKey: .retryAfterSeconds)
            try container.encode(requestID, forKey: .requestID)
            try container.encode(connection, forKey: .connection)
            try container.encode(provider, forKey: .provider)
            try container.encode(upstream, forKey: .upstream)
            try container.encode(details, forKey: .details)
        }
    }

    /// The whole failure document: `{"error": {…}}`.
    public struct Envelope: Sendable, Hashable, Codable {
        public var error: Body
    }

    public func body(requestID: String?) -> Body {
        Body(
            code: code, message: message, status: code.status, retryable: code.isRetryable,
            retryAfterSeconds: retryAfterSeconds, requestID: requestID, connection: connection, provider: provider,
            upstream: upstream, details: details
        )
    }

    public func envelope(requestID: String?) -> Envelope {
        Envelope(error: body(requestID: requestID))
    }
}

extension GatewayError.Envelope: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) throws {
        try writer.object { try $0.member("error", error) }
    }
}

extension GatewayError.Body: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) throws {
        try writer.object {
            try $0.member("code", code)
            try $0.member("connection", connection)
            try $0.member("details", details)
            try $0.member("message", message)
            try $0.member("provider", provider)
            try $0.member("request_id", requestID)
            try $0.member("retry_after_s", retryAfterSeconds)
            try $0.member("retryable", retryable)
            try $0.member("status", status)
            try $0.member("upstream", upstream)
        }
    }
}

extension GatewayError.Upstream: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) throws {
        try writer.object {
            try $0.member("code", code)
            try $0.member("message", message)
            try $0.member("status", status)
        }
    }
}

extension GatewayError.Detail: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) throws {
        try writer.object {
            try $0.member("field", field)
            try $0.member("issue", issue)
        }
    }
}
