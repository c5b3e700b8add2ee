/// Lowercase hexadecimal text of bytes (digests, fingerprints, keys).
///
/// `String(format: "%02x")` per byte went through Foundation's formatter for every byte: about ten
/// thousand instructions for a 12-byte fingerprint that a list miss computes every time.
public enum HexDigits {
    public static let lowercaseDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Any byte sequence (a digest, a prefix of one): copied into an array here, in the caller's
    /// module, so that the loop below runs on concrete bytes rather than through a generic iterator.
    @inlinable public static func lowercase(_ bytes: some Sequence<UInt8>) -> String {
        lowercase(bytes: Array(bytes))
    }

    public static func lowercase(bytes: [UInt8]) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(lowercaseDigits[Int(byte >> 4)])
            text.append(lowercaseDigits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
