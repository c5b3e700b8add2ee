import FlowgateCore
import Foundation

/// Tolerant reading (docs/providers.md): fields the canonical object can exist without are read in
/// every plausible shape; when none fits, the field is nil (or a list item is skipped), the drift is
/// reported to the connection's ``ShapeDrift``, and the answer goes on. The upstream's own value stays
/// visible under `include=raw`. Fields the object cannot exist without use the strict readers.
extension UpstreamJSON {
    /// Reports `value` at `field` as drift, named by its JSON type (or `missing`).
    public func drift(_ field: String, _ value: JSONValue?) {
        drift(field, shape: value?.typeName ?? "missing")
    }

    public func drift(_ field: String, shape: String) {
        connection.shapeDrift(field, shape)
    }

    /// Text: a string, or a number written as text (ids and codes come both ways); nil for null or absent.
    public func text(_ value: JSONValue?, _ field: String) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case .int(let number)?: return String(number)
        case .double(let number)?: return number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case let other?:
            drift(field, other)
            return nil
        }
    }

    /// A whole number: a JSON integer, a whole double, or digits in a string.
    public func integer(_ value: JSONValue?, _ field: String) -> Int? {
        switch value {
        case nil, .null?: return nil
        case .int(let number)?: return Int(number)
        case .double(let number)? where number.rounded() == number && abs(number) < 1e15: return Int(number)
        case .string(let text)? where Int(text.trimmingCharacters(in: .whitespaces)) != nil:
            return Int(text.trimmingCharacters(in: .whitespaces))
        case .string?:
            drift(field, shape: "non-numeric string")
            return nil
        case let other?:
            drift(field, other)
            return nil
        }
    }

    /// A flag: a boolean, `0`/`1`, or `true`/`false`, `Y`/`N`, `yes`/`no` in any case.
    public func flag(_ value: JSONValue?, _ field: String) -> Bool? {
        switch value {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        case .int(let number)? where number == 0 || number == 1: return number == 1
        case .string(let text)?:
            switch text.lowercased() {
            case "true", "y", "yes", "1": return true
            case "false", "n", "no", "0": return false
            default:
                drift(field, shape: "non-boolean string")
                return nil
            }
        case let other?:
            drift(field, other)
            return nil
        }
    }

    /// An instant: RFC 3339 text (also `±hhmm` offsets, no seconds, a comma fraction), text without a
    /// zone read in the connection's `timezone` (UTC unless configured), or a number of seconds since
    /// 1970 (milliseconds when above 10^11, which as seconds would be past the year 5000).
    public func instant(_ value: JSONValue?, _ field: String) -> Date? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?:
            guard !text.isEmpty else { return nil }
            guard let date = LocalTimestamp.parse(text, in: connection.timezone) else {
                drift(field, shape: "unparsable string")
                return nil
            }
            return date
        case .int(let number)?: return Self.epoch(Double(number))
        case .double(let number)?: return Self.epoch(number)
        case let other?:
            drift(field, other)
            return nil
        }
    }

    /// The items of a list; `[]` for null or absent, and for anything else (reported).
    public func items(_ value: JSONValue?, _ field: String) -> [JSONValue] {
        switch value {
        case nil, .null?: return []
        case .array(let items)?: return items
        case let other?:
            drift(field, other)
            return []
        }
    }

    /// The members of an object; nil for null or absent, and for anything else (reported).
    public func members(_ value: JSONValue?, _ field: String) -> [String: JSONValue]? {
        switch value {
        case nil, .null?: return nil
        case .object(let members)?: return members
        case let other?:
            drift(field, other)
            return nil
        }
    }

    private static func epoch(_ number: Double) -> Date {
        Date(timeIntervalSince1970: number > 1e11 ? number / 1000 : number)
    }
}
