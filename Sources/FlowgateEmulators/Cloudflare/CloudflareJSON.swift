import Foundation

/// Any JSON value: instance `params`, outputs and event payloads, which Cloudflare passes through untyped.
enum CloudflareJSON: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([CloudflareJSON])
    case object([String: CloudflareJSON])

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
        } else if let value = try? container.decode([CloudflareJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: CloudflareJSON].self))
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
    static func parse(_ data: Data) -> CloudflareJSON? {
        guard !data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else { return .null }
        return try? JSONDecoder().decode(CloudflareJSON.self, from: data)
    }

    /// The value as the step log shows it: strings as they are, anything else as JSON text
    /// (CF-TS types a step's `output` as `string`).
    var logText: String {
        if case .string(let text) = self { return text }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).flatMap { String(data: $0, encoding: .utf8) } ?? ""
    }

    subscript(_ key: String) -> CloudflareJSON? {
        if case .object(let object) = self { return object[key] }
        return nil
    }
}
