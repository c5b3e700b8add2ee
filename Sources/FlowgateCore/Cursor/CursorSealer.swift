import Crypto
import Foundation

/// Seals list cursors under a server secret, and opens only the ones this gateway issued to the caller.
///
/// Token: `v2.<base64url of ChaCha20-Poly1305 nonce ‖ ciphertext ‖ tag>`. The payload (the list's
/// filter fingerprint and each connection's upstream position) is encrypted, so a caller learns
/// nothing from it; the tenant is not in it at all but in the AEAD's associated data, so a cursor
/// opens only for the tenant it was sealed for. The key is derived from `server.cursor_secret` with
/// HKDF-SHA256, so every replica sharing the secret opens every replica's cursors.
///
/// Refusals: every token that is not one this gateway sealed for this tenant — forged, altered,
/// truncated, malformed, too long, sealed under another secret, or another tenant's — gets the same
/// words, so the answer never tells whether some other tenant exists or what a cursor holds. A genuine
/// cursor of this tenant sent with other filters gets its own words: it can only be told apart after
/// it authenticated under the caller's own tenant, so it reveals nothing the caller did not already
/// hold, and it tells a client why its listing broke.
public struct CursorSealer: Sendable {
    /// Longest token accepted; anything longer is not one of ours.
    public static let maxTokenLength = InputBounds.cursor.upperBound
    /// The issue for every token this gateway did not issue to the caller.
    public static let notIssuedIssue = "is not a cursor this gateway issued to this caller"
    /// The issue for a genuine cursor sent back with other filters.
    public static let otherFiltersIssue = "belongs to a list with other filters; send the filters it was issued for, or no cursor"

    private static let prefix = "v2."
    private let key: SymmetricKey

    /// - Parameter secret: the configured `server.cursor_secret`.
    public init(secret: String) {
        self.key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(secret.utf8)), salt: Data("flowgate".utf8), info: Data("list-cursor v2".utf8),
            outputByteCount: 32
        )
    }

    public func seal(_ cursor: ListCursor) throws -> String {
        let payload = try CanonicalJSON.encode(Payload(query: cursor.query, positions: cursor.positions))
        let box = try ChaChaPoly.seal(payload, using: key, authenticating: Self.associatedData(tenant: cursor.tenant))
        return Self.prefix + Base64URL.encode(box.combined)
    }

    /// Opens a token a caller sent back, or says why it is refused (as a 400 on the `cursor` field).
    public func open(_ token: String, tenant: String, query: String) throws(GatewayError) -> ListCursor {
        guard token.utf8.count <= Self.maxTokenLength, token.hasPrefix(Self.prefix),
            let combined = Base64URL.decode(String(token.dropFirst(Self.prefix.utf8.count))),
            let box = try? ChaChaPoly.SealedBox(combined: combined),
            let payload = try? ChaChaPoly.open(box, using: key, authenticating: Self.associatedData(tenant: tenant)),
            let opened = try? CanonicalJSON.decoder().decode(Payload.self, from: payload)
        else { throw .invalid("cursor", Self.notIssuedIssue) }
        guard opened.query == query else { throw .invalid("cursor", Self.otherFiltersIssue) }
        return ListCursor(tenant: tenant, query: opened.query, positions: opened.positions)
    }

    /// What the cipher authenticates besides the payload: the token's version and the tenant.
    private static func associatedData(tenant: String) -> Data {
        Data("flowgate list cursor v2\u{0}\(tenant)".utf8)
    }

    /// What a token carries, encrypted.
    private struct Payload: Codable, CanonicalJSONWritable {
        var query: String
        var positions: [String: JSONValue]

        enum CodingKeys: String, CodingKey {
            case query = "q"
            case positions = "p"
        }

        func writeJSON(to writer: inout CanonicalJSONWriter) throws {
            try writer.object {
                try $0.member("p", positions)
                try $0.member("q", query)
            }
        }
    }
}

/// RFC 4648 §5 base64url without padding: safe in a query string as it is.
enum Base64URL {
    /// Foundation's base64 with its two symbols swapped and the padding dropped, byte by byte: the
    /// `replacingOccurrences` way went through `NSString` three times for every cursor issued.
    static func encode(_ data: Data) -> String {
        var text: [UInt8] = []
        text.reserveCapacity((data.count + 2) / 3 * 4)
        for byte in data.base64EncodedString().utf8 {
            switch byte {
            case UInt8(ascii: "+"): text.append(UInt8(ascii: "-"))
            case UInt8(ascii: "/"): text.append(UInt8(ascii: "_"))
            case UInt8(ascii: "="): continue
            default: text.append(byte)
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    static func decode(_ text: String) -> Data? {
        guard
            text.utf8.allSatisfy({ byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            })
        else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
