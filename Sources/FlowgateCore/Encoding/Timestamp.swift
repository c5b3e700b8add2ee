import Foundation

/// RFC 3339 timestamps in UTC with a `Z`, the only form the canonical API emits.
///
/// Whole seconds print without a fraction (`2026-03-15T13:00:00Z`); sub-second instants keep
/// milliseconds (`2026-03-15T13:00:00.250Z`), which is all any upstream here provides.
public enum Timestamp {
    public static func format(_ date: Date) -> String {
        let hasFraction = date.timeIntervalSince1970 != date.timeIntervalSince1970.rounded(.down)
        return date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: hasFraction))
    }

    /// Parses an RFC 3339 timestamp with a zone designator (`Z` or `±hh:mm`), with or without a fraction.
    public static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

extension KeyedEncodingContainer {
    /// Encodes an optional date as an RFC 3339 UTC string, or `null`: absent values stay in the document.
    mutating func encodeTimestamp(_ date: Date?, forKey key: Key) throws {
        try encode(date.map(Timestamp.format), forKey: key)
    }
}

extension KeyedDecodingContainer {
    func decodeTimestamp(forKey key: Key) throws -> Date? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let date = Timestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "not an RFC 3339 timestamp")
        }
        return date
    }
}
