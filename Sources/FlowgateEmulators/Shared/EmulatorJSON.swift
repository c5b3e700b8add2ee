import Foundation

/// Any JSON value, kept as sent, for every emulator: request bodies checked field by field with an
/// upstream's own messages (Bitrix24, Cloudflare), and values passed back untouched: process variables
/// (Workingflow), captured form values (Geotareas), instance params, outputs and event payloads (Cloudflare).
enum EmulatorJSON: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    /// Whole numbers stay whole, so `3` reads back as `3`, not `3.0`.
    case integer(Int)
    case number(Double)
    case string(String)
    case array([EmulatorJSON])
    case object([String: EmulatorJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([EmulatorJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: EmulatorJSON].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Parses a request body; an empty body is `null`. Nil when it is not JSON.
    static func parse(_ data: Data) -> EmulatorJSON? {
        guard !data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else { return .null }
        return try? JSONDecoder().decode(EmulatorJSON.self, from: data)
    }

    /// The value as the Cloudflare step log shows it: strings as they are, anything else as JSON text
    /// (CF-TS types a step's `output` as `string`).
    var logText: String {
        if case .string(let text) = self { return text }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).flatMap { String(data: $0, encoding: .utf8) } ?? ""
    }

    /// The member `key` of an object; nil for a missing key or a value that is not an object.
    subscript(_ key: String) -> EmulatorJSON? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// The value as a whole number, if it is a JSON number without a fraction and below 10^15 in
    /// magnitude (so `713`, `713.0` and `7.13e2` all read as 713, `71.5` and `"713"` as nil).
    var wholeNumber: Int? {
        switch self {
        case .integer(let number):
            return number.magnitude < 1_000_000_000_000_000 ? number : nil
        case .number(let number):
            guard number.rounded() == number, abs(number) < 1e15 else { return nil }
            return Int(number)
        default:
            return nil
        }
    }
}
