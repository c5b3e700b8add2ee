/// Finds a key that appears twice in one object of a JSON text, and bounds nesting, in one pass.
///
/// Foundation's `JSONDecoder` keeps one of two equal keys silently, so `{"definition":"wf:…",
/// "definition":"cf:…"}` would start on one provider while a proxy or WAF that keeps the last one sees
/// the other. RFC 8259 §4 leaves the meaning of repeated names open; Flowgate refuses them.
///
/// This is not a parser: it only follows strings, objects and arrays, and leaves every other
/// judgement to the decoder. On text that is not JSON it returns whatever it saw so far (usually
/// `.none`), never traps, and its work and memory are linear in the input. Keys compare as Swift
/// strings compare — after unescaping, by canonical equivalence — which is how the decoder's
/// `[String: JSONValue]` would merge them.
public enum JSONDuplicateKeys {
    /// Deepest nesting of objects and arrays accepted in a request body. Decoding and encoding
    /// `JSONValue` recurse once per level, so the bound keeps a hostile body from exhausting a stack.
    public static let maxDepth = 100

    public enum Finding: Sendable, Equatable {
        case none
        /// The repeated key, as a path from the root: `definition`, `input.amount`, `input.items[2].id`.
        case duplicate(path: String)
        /// Objects and arrays nest deeper than ``maxDepth``.
        case tooDeep
        /// A comma right before a closing `]` or `}`: not JSON, though `JSONSerialization` takes it, and
        /// a text two parsers could read differently is refused.
        case trailingComma
    }

    public static func scan(_ text: [UInt8]) -> Finding {
        text.withUnsafeBytes { scan($0) }
    }

    public static func scan(_ bytes: UnsafeRawBufferPointer) -> Finding {
        var frames: [Frame] = []
        var index = 0
        // The last byte outside strings that was not white space.
        var previous: UInt8 = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            defer {
                if byte != 0x20, byte != 0x0A, byte != 0x0D, byte != 0x09 { previous = byte }
            }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard frames.count < maxDepth else { return .tooDeep }
                frames.append(Frame(isObject: byte == UInt8(ascii: "{")))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard previous != UInt8(ascii: ",") else { return .trailingComma }
                guard frames.popLast() != nil else { return .none }
            case UInt8(ascii: ","):
                guard !frames.isEmpty else { return .none }
                if frames[frames.count - 1].isObject {
                    frames[frames.count - 1].expectsKey = true
                } else {
                    frames[frames.count - 1].index += 1
                }
            case UInt8(ascii: ":"):
                guard !frames.isEmpty else { return .none }
                frames[frames.count - 1].expectsKey = false
            case UInt8(ascii: "\""):
                guard let (end, escaped) = skipString(bytes, from: index) else { return .none }
                let start = index
                index = end + 1
                guard let top = frames.indices.last, frames[top].isObject, frames[top].expectsKey else { continue }
                let body = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
                guard let key = escaped ? unescape(body) : String(decoding: body, as: UTF8.self) else { return .none }
                guard frames[top].keys.insert(key).inserted else { return .duplicate(path: path(frames, key)) }
                frames[top].currentKey = key
            default:
                continue
            }
        }
        return .none
    }

    /// One open object or array, with what names its current child in a path.
    private struct Frame {
        var isObject: Bool
        var keys: Set<String> = []
        var expectsKey: Bool
        var currentKey = ""
        var index = 0

        init(isObject: Bool) {
            self.isObject = isObject
            self.expectsKey = isObject
        }
    }

    private static func path(_ frames: [Frame], _ key: String) -> String {
        var path = ""
        for frame in frames.dropLast() {
            if frame.isObject {
                path += path.isEmpty ? frame.currentKey : "." + frame.currentKey
            } else {
                path += "[\(frame.index)]"
            }
        }
        return path.isEmpty ? key : path + "." + key
    }

    /// The index of the closing quote of the string whose body starts at `start`, and whether the body
    /// has escapes; nil when the text ends first.
    private static func skipString(_ bytes: UnsafeRawBufferPointer, from start: Int) -> (end: Int, escaped: Bool)? {
        var index = start
        var escaped = false
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""): return (index, escaped)
            case UInt8(ascii: "\\"):
                escaped = true
                index += 2
            default:
                index += 1
            }
        }
        return nil
    }

    /// The text of a string body with escapes, or nil when an escape is not JSON's.
    private static func unescape(_ bytes: UnsafeRawBufferPointer) -> String? {
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []
        var index = 0
        func flush() {
            scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
            raw.removeAll(keepingCapacity: true)
        }
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\") else {
                raw.append(byte)
                index += 1
                continue
            }
            guard index + 1 < bytes.count else { return nil }
            flush()
            let kind = bytes[index + 1]
            index += 2
            switch kind {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(Unicode.Scalar(kind))
            case UInt8(ascii: "b"): scalars.append("\u{8}")
            case UInt8(ascii: "f"): scalars.append("\u{C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                guard let unit = hex4(bytes, at: index) else { return nil }
                index += 4
                if UTF16.isLeadSurrogate(unit), index + 5 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                    bytes[index + 1] == UInt8(ascii: "u"), let low = hex4(bytes, at: index + 2), UTF16.isTrailSurrogate(low)
                {
                    index += 6
                    let value = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
                } else {
                    scalars.append(Unicode.Scalar(unit) ?? "\u{FFFD}")
                }
            default:
                return nil
            }
        }
        flush()
        return String(scalars)
    }

    private static func hex4(_ bytes: UnsafeRawBufferPointer, at start: Int) -> UInt16? {
        guard start + 4 <= bytes.count else { return nil }
        var value: UInt16 = 0
        for byte in bytes[start..<start + 4] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }
}
