import Foundation

/// One of a connection's upstream buckets as `GET /v1/connections` shows it: its limit and how much
/// of it is in use. Never whose budget it is beyond `keyed_by` (digests of credentials stay inside).
public struct BucketInfo: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// At most `limit` calls in any `window_s` seconds.
        case window
        /// `rate_per_s` sustained, `limit` (the burst) at once.
        case rate
    }

    /// The bucket's name (`reads`, `default`, `portal`).
    public var bucket: String
    public var kind: Kind
    /// Whose budget it is: `credential` (the connection's key or token) or `portal` (every connection
    /// on the same Bitrix24 portal).
    public var keyedBy: String
    /// Calls the bucket holds at once: a window's limit, a token bucket's burst.
    public var limit: Int
    /// A window's length in seconds; null for a rate.
    public var windowSeconds: Double?
    /// A rate's sustained calls per second; null for a window.
    public var ratePerSecond: Double?
    /// Slots in use now: calls within the window (or the burst) and calls waiting for theirs.
    public var used: Int
    /// When a call asked for now would go (now, when a slot is free).
    public var nextFreeAt: Date

    public init(
        bucket: String, kind: Kind, keyedBy: String, limit: Int, windowSeconds: Double?, ratePerSecond: Double?, used: Int, nextFreeAt: Date
    ) {
        self.bucket = bucket
        self.kind = kind
        self.keyedBy = keyedBy
        self.limit = limit
        self.windowSeconds = windowSeconds
        self.ratePerSecond = ratePerSecond
        self.used = used
        self.nextFreeAt = nextFreeAt
    }

    enum CodingKeys: String, CodingKey {
        case bucket, kind, limit, used
        case keyedBy = "keyed_by"
        case windowSeconds = "window_s"
        case ratePerSecond = "rate_per_s"
        case nextFreeAt = "next_free_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        bucket = try container.decode(String.self, forKey: .bucket)
        kind = try container.decode(Kind.self, forKey: .kind)
        keyedBy = try container.decode(String.self, forKey: .keyedBy)
        limit = try container.decode(Int.self, forKey: .limit)
        windowSeconds = try container.decodeIfPresent(Double.self, forKey: .windowSeconds)
        ratePerSecond = try container.decodeIfPresent(Double.self, forKey: .ratePerSecond)
        used = try container.decode(Int.self, forKey: .used)
        guard let next = try container.decodeTimestamp(forKey: .nextFreeAt) else {
            throw DecodingError.valueNotFound(Date.self, .init(codingPath: [CodingKeys.nextFreeAt], debugDescription: "next_free_at is required"))
        }
        nextFreeAt = next
    }

    /// Every field, nulls included: the schema is stable.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(bucket, forKey: .bucket)
        try container.encode(kind, forKey: .kind)
        try container.encode(keyedBy, forKey: .keyedBy)
        try container.encode(limit, forKey: .limit)
        try container.encode(windowSeconds, forKey: .windowSeconds)
        try container.encode(ratePerSecond, forKey: .ratePerSecond)
        try container.encode(used, forKey: .used)
        try container.encodeTimestamp(nextFreeAt, forKey: .nextFreeAt)
    }
}
