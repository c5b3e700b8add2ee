import Foundation

/// The one JSON configuration of the canonical API.
///
/// Keys are sorted so that the same answer always has the same bytes (cache entries, ETags and tests
/// compare bytes); field names are spelled out in each model's `CodingKeys`, so no key strategy is used
/// and upstream JSON carried in `raw` keeps its own spelling.
public enum CanonicalJSON {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        JSONDecoder()
    }

    /// Encodes a value in the canonical form: a ``CanonicalJSONWritable`` value (every model of the
    /// canonical API) writes its own bytes; anything else goes through one `JSONEncoder` for the
    /// process (it keeps no state between calls, and its options are set here once).
    public static func encode(_ value: some Encodable) throws -> Data {
        if let bytes = try written(value) { return Data(bytes) }
        return try shared.encode(value)
    }

    /// ``encode(_:)`` as a byte array, the form a response body or a stored answer is made from.
    public static func bytes(_ value: some Encodable) throws -> [UInt8] {
        if let bytes = try written(value) { return bytes }
        return Array(try shared.encode(value))
    }

    /// The writer's bytes of a ``CanonicalJSONWritable`` value; nil for any other.
    private static func written(_ value: some Encodable) throws -> [UInt8]? {
        guard let writable = value as? any CanonicalJSONWritable else { return nil }
        var writer = CanonicalJSONWriter()
        try writable.writeJSON(to: &writer)
        return writer.bytes
    }

    /// Through `JSONEncoder` only, whatever the value: the reference the writer is tested against.
    public static func encodeWithFoundation(_ value: some Encodable) throws -> Data {
        try shared.encode(value)
    }

    private static let shared = encoder()
}
