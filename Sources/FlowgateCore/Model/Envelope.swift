/// The success envelope of every canonical answer: `{"data": …, "meta": {…}}`.
public struct Envelope<Data: Encodable & Sendable, Meta: Encodable & Sendable>: Encodable, Sendable {
    public var data: Data
    public var meta: Meta

    public init(data: Data, meta: Meta) {
        self.data = data
        self.meta = meta
    }
}

extension Envelope where Meta == EmptyMeta {
    public init(data: Data) {
        self.init(data: data, meta: EmptyMeta())
    }
}

/// `meta` of single-object answers: an empty object, so the envelope's shape never changes.
public struct EmptyMeta: Codable, Sendable, Hashable {
    public init() {}
}

/// A connection that failed during a fan-out, with the error it answered.
public struct ConnectionFailure: Encodable, Sendable {
    public var connection: String
    public var error: GatewayError.Body

    public init(connection: String, error: GatewayError.Body) {
        self.connection = connection
        self.error = error
    }
}

/// A connection a fan-out did not ask, and why (`NOT_SUPPORTED` when its provider lacks the operation).
public struct SkippedConnection: Codable, Sendable, Hashable {
    public var connection: String
    public var reason: String

    public init(connection: String, reason: String) {
        self.connection = connection
        self.reason = reason
    }
}

/// `meta` of a fan-out answer over several connections (`GET /v1/definitions`).
public struct FanOutMeta: Encodable, Sendable {
    public var partial: Bool
    public var errors: [ConnectionFailure]
    public var skipped: [SkippedConnection]

    public init(partial: Bool = false, errors: [ConnectionFailure] = [], skipped: [SkippedConnection] = []) {
        self.partial = partial
        self.errors = errors
        self.skipped = skipped
    }
}

/// `meta` of a paged fan-out list (`GET /v1/instances`); only a null `next_cursor` means the end.
public struct ListMeta: Encodable, Sendable {
    public var nextCursor: String?
    public var limit: Int
    public var partial: Bool
    public var errors: [ConnectionFailure]
    public var skipped: [SkippedConnection]
    /// Connections whose upstream pages were scanned up to the per-request bound without filling the
    /// page (filters the upstream cannot apply): their items may continue on the next page.
    public var bounded: [String]

    enum CodingKeys: String, CodingKey {
        case nextCursor = "next_cursor"
        case limit, partial, errors, skipped, bounded
    }

    public init(nextCursor: String?, limit: Int, fanOut: FanOutMeta, bounded: [String] = []) {
        self.nextCursor = nextCursor
        self.limit = limit
        self.partial = fanOut.partial
        self.errors = fanOut.errors
        self.skipped = fanOut.skipped
        self.bounded = bounded
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(nextCursor, forKey: .nextCursor)
        try container.encode(limit, forKey: .limit)
        try container.encode(partial, forKey: .partial)
        try container.encode(errors, forKey: .errors)
        try container.encode(skipped, forKey: .skipped)
        try container.encode(bounded, forKey: .bounded)
    }
}

extension Envelope: CanonicalJSONWritable where Data: CanonicalJSONWritable, Meta: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) throws {
        try writer.object {
            try $0.member("data", data)
            try $0.member("meta", meta)
        }
    }
}

extension EmptyMeta: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) {
        writer.object { _ in }
    }
}

extension ConnectionFailure: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) throws {
        try writer.object {
            try $0.member("connection", connection)
            try $0.member("error", error)
        }
    }
}

extension SkippedConnection: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) throws {
        try writer.object {
            try $0.member("connection", connection)
            try $0.member("reason", reason)
        }
    }
}

extension FanOutMeta: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) throws {
        try writer.object {
            try $0.member("errors", errors)
            try $0.member("partial", partial)
            try $0.member("skipped", skipped)
        }
    }
}

extension ListMeta: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) throws {
        try writer.object {
            try $0.member("bounded", bounded)
            try $0.member("errors", errors)
            try $0.member("limit", limit)
            try $0.member("next_cursor", nextCursor)
            try $0.member("partial", partial)
            try $0.member("skipped", skipped)
        }
    }
}
