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

    /// Encodes a value in the canonical form, with one encoder for the process: making one per answer
    /// was work every answer paid for nothing. `JSONEncoder` keeps no state between calls (each
    /// `encode` works on its own), and its options are set here once and never changed.
    public static func encode(_ value: some Encodable) throws -> Data {
        try shared.encode(value)
    }

    private static let shared = encoder()
}
