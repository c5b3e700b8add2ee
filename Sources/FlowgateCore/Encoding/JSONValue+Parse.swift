import Foundation

extension JSONValue {
    /// Parses JSON text (any value, not only an object or array), or nil if it is not JSON.
    ///
    /// Through `JSONSerialization`, not `JSONDecoder`: decoding ``JSONValue`` with `JSONDecoder` must try
    /// each type in turn, and every failed try builds an error carrying the whole coding path — work that
    /// grows with the square of the nesting depth. A 1 MB body of 96-deep chains took 48 s of CPU that
    /// way (release build) and a tenth of a second this way, which grows with the size alone.
    public static func parse(_ data: Data) -> JSONValue? {
        guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return nil }
        return JSONValue(foundation: object)
    }

    /// The value of what `JSONSerialization` returns; nil for anything it never does.
    ///
    /// What `JSONSerialization` hands out is told by its exact type first: a cast whose source type is
    /// its target is a copy, while every failed cast on the way (`as? [Any]` of a string) walks the
    /// runtime's bridging rules — a third of a list miss's parsing went there. For anything else, the
    /// casts follow, containers first and the class casts (`NSNull`, `NSNumber`) last: a cast of a
    /// Swift array to a class bridges the array — and everything in it — to Foundation objects first,
    /// which made this walk quadratic in the nesting (16 s for a 400 KB body).
    init?(foundation object: Any) {
        let type = Swift.type(of: object)
        if type == String.self, let text = object as? String {
            self = .string(text)
        } else if type == [String: Any].self, let members = object as? [String: Any] {
            guard let value = Self.object(members) else { return nil }
            self = value
        } else if type == [Any].self, let items = object as? [Any] {
            guard let value = Self.array(items) else { return nil }
            self = value
        } else if type is NSNumber.Type, let number = object as? NSNumber {
            self = Self.number(number)
        } else if type == NSNull.self {
            self = .null
        } else if let items = object as? [Any] {
            guard let value = Self.array(items) else { return nil }
            self = value
        } else if let members = object as? [String: Any] {
            guard let value = Self.object(members) else { return nil }
            self = value
        } else if let text = object as? String {
            self = .string(text)
        } else if object is NSNull {
            self = .null
        } else if let number = object as? NSNumber {
            self = Self.number(number)
        } else {
            return nil
        }
    }

    private static func array(_ items: [Any]) -> JSONValue? {
        var values: [JSONValue] = []
        values.reserveCapacity(items.count)
        for item in items {
            guard let value = JSONValue(foundation: item) else { return nil }
            values.append(value)
        }
        return .array(values)
    }

    private static func object(_ members: [String: Any]) -> JSONValue? {
        var values: [String: JSONValue] = [:]
        values.reserveCapacity(members.count)
        for (key, member) in members {
            guard let value = JSONValue(foundation: member) else { return nil }
            values[key] = value
        }
        return .object(values)
    }

    /// A boolean, an integer (kept exact up to 64 bits: 18-digit upstream ids survive) or a double.
    private static func number(_ number: NSNumber) -> JSONValue {
        if type(of: number) == booleanType { return .bool(number.boolValue) }
        if let decimal = number as? NSDecimalNumber {
            // Foundation on Linux reads integers below about -2^62 (and above 2^64) as decimals that
            // call themselves doubles: kept exact while the text is a 64-bit integer.
            return Int64(decimal.stringValue).map(JSONValue.int) ?? .double(decimal.doubleValue)
        }
        switch UInt8(bitPattern: number.objCType.pointee) {
        case UInt8(ascii: "d"), UInt8(ascii: "f"): return .double(number.doubleValue)
        case UInt8(ascii: "Q"), UInt8(ascii: "L"), UInt8(ascii: "I"), UInt8(ascii: "S"), UInt8(ascii: "C"):
            // Unsigned: exact while it fits a signed 64-bit integer, else the nearest double.
            let value = number.uint64Value
            return value <= UInt64(Int64.max) ? .int(Int64(value)) : .double(number.doubleValue)
        default: return .int(number.int64Value)
        }
    }

    /// The class `JSONSerialization` uses for `true` and `false`, told apart from numbers by type.
    private static let booleanType: AnyClass = type(of: NSNumber(value: true))
}
