/// The length bound of every piece of text a caller sends, in one place so the validation, the docs
/// (`docs/hostile-input.md`) and the schema can agree.
///
/// Every bound counts UTF-8 bytes, never `Character`s: one grapheme cluster can hold any number of
/// combining scalars (`"a"` followed by 13 000 × U+0301 is one `Character` and 26 001 bytes), and
/// what an upstream URL, a header or a log line has to carry is the bytes.
public enum InputBounds {
    /// A canonical id, `<connection>:<native id>` (path `{id}`, body `definition`, query `definition`).
    public static let canonicalID: ClosedRange<Int> = 3...512
    /// A file name in `/v1/instances/{id}/files/{name}`.
    public static let fileName: ClosedRange<Int> = 1...255
    /// An event type in `/v1/instances/{id}/events/{type}`.
    public static let eventType: ClosedRange<Int> = 1...100
    /// `reason` of a cancel.
    public static let cancelReason: ClosedRange<Int> = 0...500
    /// `entity.type` of a start.
    public static let entityType: ClosedRange<Int> = 1...100
    /// `entity.id` of a start.
    public static let entityID: ClosedRange<Int> = 1...512
    /// `instance_id` of a start; also limited to `[A-Za-z0-9_-]`, not starting with `-`.
    public static let instanceID: ClosedRange<Int> = 1...100
    /// A connection name, in a query or in config: `[a-z0-9][a-z0-9_-]*`.
    public static let connectionName: ClosedRange<Int> = 1...63
    /// Any other query value (`status`, `include`, …), unless its parameter says otherwise.
    public static let queryValue: ClosedRange<Int> = 0...512
    /// The `cursor` query value: longer is never a cursor this gateway issued.
    public static let cursor: ClosedRange<Int> = 1...4096

    /// What is wrong with the length of `text` under `bound`, in words for an error's `details`, or
    /// nil when it fits.
    public static func issue(_ text: some StringProtocol, _ bound: ClosedRange<Int>) -> String? {
        let bytes = text.utf8.count
        if bytes == 0, bound.lowerBound > 0 { return "is empty" }
        if bytes < bound.lowerBound { return "is \(bytes) bytes long; at least \(bound.lowerBound) bytes are required" }
        if bytes > bound.upperBound { return "is \(bytes) bytes long (UTF-8); at most \(bound.upperBound) bytes are allowed" }
        return nil
    }

    /// Whether `text` could name a connection: 1–63 bytes of `a-z`, `0-9`, `-` and `_`, starting with a
    /// letter or digit (the rule config applies to connection names).
    public static func isConnectionName(_ text: some StringProtocol) -> Bool {
        guard connectionName.contains(text.utf8.count), let first = text.utf8.first else { return false }
        func allowed(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        return allowed(first) && text.utf8.allSatisfy { allowed($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }

    /// Whether `text` is an `instance_id` a caller may choose: `[A-Za-z0-9_][A-Za-z0-9_-]*`, 1–100 bytes.
    public static func isInstanceID(_ text: some StringProtocol) -> Bool {
        guard instanceID.contains(text.utf8.count), text.utf8.first != UInt8(ascii: "-") else { return false }
        return text.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }
}
