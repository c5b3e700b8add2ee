import FlowgateCore

/// `CanonicalID.parse` on any text: an accepted id splits at its first ':' into two non-empty parts,
/// round-trips byte for byte, is at most 512 bytes and has no control character.
enum CanonicalIDFuzz {
    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard case .success(let id) = CanonicalID.parse(text) else { return }
        Invariant.require(id.description.utf8.elementsEqual(text.utf8), "id does not round-trip")
        Invariant.require(!id.connection.isEmpty && !id.native.isEmpty, "empty connection or native id")
        Invariant.require(!id.connection.utf8.contains(UInt8(ascii: ":")), "connection contains ':'")
        Invariant.require(!text.containsControlCharacters, "control character accepted")
        Invariant.boundedText(text, maxBytes: CanonicalID.maxLength, "id")
    }
}
