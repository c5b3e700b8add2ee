import Foundation

/// A value that writes its canonical JSON straight into bytes.
///
/// The canonical models' `Encodable` conformances stay the specification of their documents; this is
/// their fast path. `JSONEncoder` builds a tree of dictionaries, sorts every object's keys and casts
/// each value at run time to see whether it is a `Date` or a `URL`: on a ten-instance list that was
/// 1.8 million instructions of a 4.6 million-instruction miss. A writable value writes the same bytes
/// in one pass, its keys spelled in sorted order in its code. `CanonicalJSONWriterTests` hold every
/// conformance byte for byte to `JSONEncoder` with ``CanonicalJSON``'s options, on every field set and
/// unset, so the two cannot drift apart unnoticed.
public protocol CanonicalJSONWritable {
    func writeJSON(to writer: inout CanonicalJSONWriter) throws
}

/// Appends canonical JSON to a byte array: no whitespace, keys sorted by their UTF-8 bytes, slashes
/// unescaped, the other escapes and number forms exactly as Foundation's `JSONEncoder` writes them.
public struct CanonicalJSONWriter {
    public private(set) var bytes: [UInt8]
    /// Whether the next value or key follows a sibling and needs a comma first.
    private var needsComma = false

    public init(capacity: Int = 1024) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// `{…}`: `body` writes the members with ``key(_:)`` and a value each, in sorted key order.
    public mutating func object(_ body: (inout CanonicalJSONWriter) throws -> Void) rethrows {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        try body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// A member's key: plain ASCII that needs no escaping (every canonical field name).
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// A member whose key and value are both given: `"name":value`.
    public mutating func member(_ name: StaticString, _ value: some CanonicalJSONWritable) throws {
        key(name)
        try value.writeJSON(to: &self)
    }

    /// A member holding an RFC 3339 timestamp (``Timestamp``), or `null`.
    public mutating func timestamp(_ name: StaticString, _ date: Date?) {
        key(name)
        guard let date else { return null() }
        separate()
        bytes.append(UInt8(ascii: "\""))
        Timestamp.write(date, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    public mutating func array(_ items: some Sequence<some CanonicalJSONWritable>) throws {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        for item in items { try item.writeJSON(to: &self) }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// An object of dynamic keys (caller- or upstream-owned JSON), sorted by their UTF-8 bytes as
    /// `JSONEncoder`'s `.sortedKeys` sorts them.
    public mutating func object(_ members: [String: some CanonicalJSONWritable]) throws {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        for (name, value) in sorted {
            string(name)
            bytes.append(UInt8(ascii: ":"))
            needsComma = false
            try value.writeJSON(to: &self)
        }
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func null() {
        literal("null")
    }

    public mutating func bool(_ value: Bool) {
        literal(value ? "true" : "false")
    }

    public mutating func integer(_ value: some BinaryInteger) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    /// A double as `JSONEncoder` writes it: Swift's shortest round-trip form without a trailing `.0`;
    /// NaN and the infinities have no JSON form and fail the same way.
    public mutating func double(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value, EncodingError.Context(codingPath: [], debugDescription: "Unable to encode Double.\(value) directly in JSON.")
            )
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        separate()
        bytes.append(contentsOf: text.utf8)
        needsComma = true
    }

    /// A JSON string: `"` and `\` escaped, control characters as `\b \t \n \f \r` or `\u00xx`; nothing else.
    public mutating func string(_ text: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var start = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                appendEscape(byte)
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    private mutating func appendEscape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        default:
            bytes.append(contentsOf: "u00".utf8)
            bytes.append(HexDigits.lowercaseDigits[Int(byte >> 4)])
            bytes.append(HexDigits.lowercaseDigits[Int(byte & 0xF)])
        }
    }

    private mutating func literal(_ text: StaticString) {
        separate()
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
        needsComma = true
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }
}

extension String: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) { writer.string(self) }
}

extension Bool: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) { writer.bool(self) }
}

extension Int: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) { writer.integer(self) }
}

extension Int64: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) { writer.integer(self) }
}

extension Optional: CanonicalJSONWritable where Wrapped: CanonicalJSONWritable {
    /// `null` for nil: absent values stay in the document, as every canonical `encode(to:)` writes them.
    public func writeJSON(to writer: inout CanonicalJSONWriter) throws {
        if let self { try self.writeJSON(to: &writer) } else { writer.null() }
    }
}

extension Array: CanonicalJSONWritable where Element: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) throws { try writer.array(self) }
}

extension Dictionary: CanonicalJSONWritable where Key == String, Value: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) throws { try writer.object(self) }
}

extension CanonicalJSONWritable where Self: RawRepresentable, RawValue == String {
    public func writeJSON(to writer: inout CanonicalJSONWriter) { writer.string(rawValue) }
}

extension JSONValue: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) throws {
        switch self {
        case .null: writer.null()
        case .bool(let value): writer.bool(value)
        case .int(let value): writer.integer(value)
        case .double(let value): try writer.double(value)
        case .string(let value): writer.string(value)
        case .array(let values): try writer.array(values)
        case .object(let members): try writer.object(members)
        }
    }
}
