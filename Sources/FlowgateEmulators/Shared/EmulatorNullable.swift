/// Encodes nil as an explicit JSON `null` for the fields an upstream always sends, null or not
/// (Cloudflare's `ended_on`, Geotareas's `entity_id`, Workingflow's `endTime`, Bitrix24's `OWNED_UNTIL`…);
/// synthesized `Encodable` would leave them out.
@propertyWrapper
struct EmulatorNullable<Value: Encodable & Sendable>: Encodable, Sendable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}
