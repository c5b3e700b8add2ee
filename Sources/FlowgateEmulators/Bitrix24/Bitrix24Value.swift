/// Any JSON value, so request bodies can be checked field by field with the facade's own messages
/// instead of a decoder's.
enum Bitrix24Value: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([Bitrix24Value])
    case object([String: Bitrix24Value])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([Bitrix24Value].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: Bitrix24Value].self))
        }
    }

    /// The value as a whole number, if it is a JSON number without a fraction.
    var integer: Int? {
        guard case .number(let number) = self, number.rounded() == number, abs(number) < 1e15 else { return nil }
        return Int(number)
    }
}
