import Crypto
import Foundation

/// Seals list cursors with HMAC-SHA256 under a server secret, and opens only genuine ones.
///
/// Token: `v1.<base64url payload>.<base64url mac>`. The payload is not encrypted — it holds upstream
/// offsets and cursors, nothing secret — but any change to it breaks the MAC, which is checked in
/// constant time before the payload is even parsed.
public struct CursorSealer: Sendable {
    /// Longest token accepted; anything longer is not one of ours.
    public static let maxTokenLength = 4096
    private static let version = "v1"

    private let key: SymmetricKey

    /// - Parameter secret: the configured `server.cursor_secret`; hashed into a fixed-size key.
    public init(secret: String) {
        self.key = SymmetricKey(data: SHA256.hash(data: Data(secret.utf8)))
    }

    public func seal(_ cursor: ListCursor) throws -> String {
        let payload = Self.version + "." + Base64URL.encode(try CanonicalJSON.encode(cursor))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: key)
        return payload + "." + Base64URL.encode(Data(mac))
    }

    /// Opens a token a caller sent back, or says why it is refused (as a 400 on the `cursor` field).
    public func open(_ token: String, tenant: String, query: String) throws(GatewayError) -> ListCursor {
        guard token.utf8.count <= Self.maxTokenLength else { throw Self.refused("is too long") }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == Self.version,
            let macBytes = Base64URL.decode(String(parts[2]))
        else { throw Self.refused("is malformed") }
        let signed = Data("\(parts[0]).\(parts[1])".utf8)
        guard HMAC<SHA256>.isValidAuthenticationCode(macBytes, authenticating: signed, using: key) else {
            throw Self.refused("was not issued by this gateway or was altered")
        }
        guard let json = Base64URL.decode(String(parts[1])),
            let cursor = try? CanonicalJSON.decoder().decode(ListCursor.self, from: json)
        else { throw Self.refused("is malformed") }
        // Same words for both: a foreign cursor is not evidence that the other tenant exists.
        guard cursor.tenant == tenant else { throw Self.refused("was not issued to this caller") }
        guard cursor.query == query else { throw Self.refused("belongs to a list with other filters") }
        return cursor
    }

    private static func refused(_ issue: String) -> GatewayError {
        .invalid("cursor", issue)
    }
}

/// RFC 4648 §5 base64url without padding: safe in a query string as it is.
enum Base64URL {
    static func encode(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> Data? {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
