import FlowgateCore
import Foundation

/// `CursorSealer.open` on any token (a forged one must be refused, never crash), and seal → open on
/// cursors built from the input, which must come back equal, and only to their own tenant and filters.
enum CursorFuzz {
    private static let sealer = CursorSealer(secret: "fuzz-cursor-secret-0123456789")

    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let first = bytes.first, first & 1 == 1 else {
            _ = try? sealer.open(text, tenant: "acme", query: "q")
            return
        }
        // Odd first byte: tenant, query fingerprint and one JSON position, separated by NUL bytes.
        let parts = text.dropFirst().split(separator: "\u{0}", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return }
        let position = (try? JSONDecoder().decode(JSONValue.self, from: Data(parts[2].utf8))) ?? .string(String(parts[2]))
        let cursor = ListCursor(tenant: String(parts[0]), query: String(parts[1]), positions: ["conn": position])
        guard let token = try? sealer.seal(cursor) else { return }
        guard token.utf8.count <= CursorSealer.maxTokenLength else { return }
        let opened = try? sealer.open(token, tenant: cursor.tenant, query: cursor.query)
        Invariant.require(opened == cursor, "a sealed cursor did not open to itself")
        Invariant.require((try? sealer.open(token, tenant: cursor.tenant + "x", query: cursor.query)) == nil, "another tenant opened a cursor")
        Invariant.require((try? sealer.open(token, tenant: cursor.tenant, query: cursor.query + "x")) == nil, "other filters opened a cursor")
    }
}
