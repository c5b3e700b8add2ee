import FlowgateCore
import Foundation

/// Reading upstream JSON defensively: an answer that breaks its upstream's documented contract (not
/// JSON, a missing field, a field of the wrong type) becomes `502 UPSTREAM_ERROR` naming what broke,
/// never a crash and never a half-filled canonical object.
public struct UpstreamJSON: Sendable {
    public let connection: ProviderConnection

    public init(_ connection: ProviderConnection) {
        self.connection = connection
    }

    /// The reply's body as JSON.
    public func document(_ reply: UpstreamReply) throws -> JSONValue {
        guard let value = Self.parse(reply.body) else {
            throw broken("the answer is not JSON", status: reply.status)
        }
        return value
    }

    public static func parse(_ bytes: [UInt8]) -> JSONValue? {
        guard !bytes.isEmpty else { return nil }
        return try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    /// `502 UPSTREAM_ERROR`: the upstream answered something its contract does not allow.
    public func broken(_ what: String, status: Int? = nil) -> GatewayError {
        connection.error(
            .upstreamError, "\(connection.kind.rawValue) answered outside its contract: \(what)",
            upstream: status.map { .init(status: $0, code: nil, message: nil) }
        )
    }

    public func object(_ value: JSONValue?, _ path: String) throws -> [String: JSONValue] {
        guard case .object(let members)? = value else { throw broken("\(path) is not an object") }
        return members
    }

    public func array(_ value: JSONValue?, _ path: String) throws -> [JSONValue] {
        guard case .array(let items)? = value else { throw broken("\(path) is not an array") }
        return items
    }

    public func string(_ value: JSONValue?, _ path: String) throws -> String {
        guard case .string(let text)? = value else { throw broken("\(path) is not a string") }
        return text
    }

    /// A string, or nil for JSON null or an absent member.
    public func optionalString(_ value: JSONValue?, _ path: String) throws -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw broken("\(path) is not a string")
        }
    }

    /// An id the upstream may send as a string or as a number; always a string in the canonical model.
    public func identifier(_ value: JSONValue?, _ path: String) throws -> String {
        switch value {
        case .string(let text)? where !text.isEmpty: return text
        case .int(let number)?: return String(number)
        default: throw broken("\(path) is not an id")
        }
    }

    public func optionalInt(_ value: JSONValue?, _ path: String) throws -> Int? {
        switch value {
        case nil, .null?: return nil
        case .int(let number)?: return Int(number)
        default: throw broken("\(path) is not an integer")
        }
    }

    public func bool(_ value: JSONValue?, _ path: String) throws -> Bool {
        guard case .bool(let flag)? = value else { throw broken("\(path) is not a boolean") }
        return flag
    }

    /// An RFC 3339 timestamp with a zone (`Z` or an offset), converted to an instant.
    public func timestamp(_ value: JSONValue?, _ path: String) throws -> Date? {
        guard let text = try optionalString(value, path) else { return nil }
        guard let date = Timestamp.parse(text) else { throw broken("\(path) is not a timestamp") }
        return date
    }

    /// A timestamp without a zone (`2026-03-15T10:00:00`), read in `zone`.
    public func localTimestamp(_ value: JSONValue?, _ path: String, in zone: TimeZone) throws -> Date? {
        guard let text = try optionalString(value, path) else { return nil }
        guard let date = LocalTimestamp.parse(text, in: zone) else { throw broken("\(path) is not a timestamp") }
        return date
    }
}

/// Timestamps without a zone designator, as Geotareas sends them.
public enum LocalTimestamp {
    public static func parse(_ text: String, in zone: TimeZone) -> Date? {
        // A zone-less timestamp is local wall-clock time: read its fields, then place them in `zone`.
        let parts = text.split(whereSeparator: { $0 == "T" || $0 == " " })
        guard parts.count == 2 else { return nil }
        let date = parts[0].split(separator: "-").compactMap { Int($0) }
        let timeText = parts[1].split(separator: ".", maxSplits: 1)
        let time = timeText[0].split(separator: ":").compactMap { Int($0) }
        guard date.count == 3, time.count == 3 || time.count == 2 else { return nil }
        var components = DateComponents()
        components.year = date[0]
        components.month = date[1]
        components.day = date[2]
        components.hour = time[0]
        components.minute = time[1]
        components.second = time.count == 3 ? time[2] : 0
        if timeText.count == 2, let fraction = Double("0." + timeText[1]) {
            components.nanosecond = Int(fraction * 1_000_000_000)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        guard let result = calendar.date(from: components), calendar.component(.day, from: result) == date[2] else { return nil }
        return result
    }

    /// Formats an instant as local wall-clock time in `zone`, without a designator.
    public static func format(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int = 2) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))"
    }
}
