/// A canonical id: `<connection>:<native id>`, e.g. `geo:591847302948571634` or `cf-prod:order-flow:8f3a`.
///
/// Split on the first `:` — connection names never contain one — and the provider splits the rest
/// (Cloudflare's native id is itself `<workflow>:<instance>`). Ids are opaque to callers but readable
/// in logs, which is why they are bounded and free of control characters.
public struct CanonicalID: Sendable, Hashable, CustomStringConvertible {
    /// Longest id accepted anywhere, in UTF-8 bytes (``InputBounds/canonicalID``).
    public static let maxLength = InputBounds.canonicalID.upperBound

    public let connection: String
    public let native: String

    public init(connection: String, native: String) {
        self.connection = connection
        self.native = native
    }

    public var description: String { "\(connection):\(native)" }

    /// Parses an id a caller sent, reporting what is wrong with it in words fit for `details`.
    ///
    /// The length is counted in bytes and the split is made on the first `:` byte, never on
    /// `Character`s: a `:` followed by a combining mark is one grapheme cluster, and a search by
    /// `Character` would not see it.
    public static func parse(_ text: String) -> Result<CanonicalID, IDProblem> {
        let bytes = text.utf8.count
        if bytes > maxLength { return .failure(.tooLong(bytes)) }
        if text.containsControlCharacters { return .failure(.controlCharacter) }
        guard let colon = text.utf8.firstIndex(of: UInt8(ascii: ":")) else { return .failure(.missingConnection) }
        // `:` is ASCII, so both sides of it are whole scalars: valid UTF-8 on their own.
        let connection = String(Substring(text.utf8[..<colon]))
        let native = String(Substring(text.utf8[text.utf8.index(after: colon)...]))
        guard !connection.isEmpty else { return .failure(.missingConnection) }
        guard !native.isEmpty else { return .failure(.missingNativeID) }
        return .success(CanonicalID(connection: connection, native: native))
    }

    /// Why a string is not a canonical id.
    public enum IDProblem: Error, Sendable, Hashable, CustomStringConvertible {
        case tooLong(Int)
        case controlCharacter
        case missingConnection
        case missingNativeID

        public var description: String {
            switch self {
            case .tooLong(let bytes): "is \(bytes) bytes long (UTF-8); at most \(CanonicalID.maxLength) bytes are allowed"
            case .controlCharacter: "contains a control character"
            case .missingConnection: "must be <connection>:<native id>"
            case .missingNativeID: "has no native id after the connection name"
            }
        }
    }
}

extension CanonicalID: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        switch CanonicalID.parse(try container.decode(String.self)) {
        case .success(let id): self = id
        case .failure(let problem):
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "canonical id \(problem)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Unicode.Scalar {
    /// C0 and C1 controls, DEL, and the Unicode line and paragraph separators: nothing that could split
    /// or disguise a log line or a header. The one rule for every caller-supplied text echoed anywhere.
    public var isControlOrLineBreak: Bool {
        properties.generalCategory == .control || value == 0x2028 || value == 0x2029
    }
}

extension StringProtocol {
    /// Whether any scalar is a control character or a Unicode line break (see ``Unicode/Scalar/isControlOrLineBreak``).
    @inlinable public var containsControlCharacters: Bool {
        // Printable ASCII, the common case, needs no Unicode property lookup.
        if utf8.allSatisfy({ (0x20...0x7E).contains($0) }) { return false }
        return unicodeScalars.contains(where: \.isControlOrLineBreak)
    }
}

extension CanonicalID: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) { writer.string(description) }
}
