import HTTPTypes
import Testing

@testable import FlowgateServer

/// The byte-level shortcuts of the cache-hit path read exactly what the general code reads.
struct HitPathHelpersTests {
    @Test func aFieldPresentOnceOrRepeatedReadsAsTheSubscript() {
        var fields: HTTPFields = [.contentType: "application/json"]
        #expect(fields.value(of: .authorization) == nil)
        fields.append(HTTPField(name: .authorization, value: "Bearer one"))
        #expect(fields.value(of: .authorization) == "Bearer one")
        fields.append(HTTPField(name: .authorization, value: "Bearer two"))
        #expect(fields.value(of: .authorization) == fields[.authorization])
        #expect(fields.value(of: .authorization) == "Bearer one, Bearer two")
    }

    @Test(arguments: [
        "Bearer fgk_key", "bearer fgk_key", "BEARER fgk_key", "Bearer  fgk_key", "Bearer fgk_key ", "Bearer \tfgk_key\r\n",
        "Bearer fgk key", "Bearer", "Bearer ", "Bearer  ", "Basic Zm9v", "Bearerx fgk", "Bearer \u{00A0}fgk_é\u{00A0}", "Bearer é",
        "Bearer \u{1}fgk", "Bearer fgk\u{7F}",
    ])
    func bearerTokensReadAsByCharacters(header: String) {
        #expect(AuthMiddleware.bearerToken(header) == Self.referenceBearerToken(header))
    }

    /// The reading before the byte-level shortcut, kept here as the reference.
    private static func referenceBearerToken(_ header: String) -> Substring? {
        guard let space = header.utf8.firstIndex(of: UInt8(ascii: " ")) else { return nil }
        let scheme = header.utf8[..<space]
        guard scheme.count == 6, zip(scheme, "bearer".utf8).allSatisfy({ $0 | 0x20 == $1 }) else { return nil }
        let rest = header[space...]
        guard let first = rest.firstIndex(where: { !$0.isWhitespace }), let last = rest.lastIndex(where: { !$0.isWhitespace }) else {
            return nil
        }
        return rest[first...last]
    }

    @Test func newRequestIDsAre32LowercaseHexDigitsSharingAPrefix() {
        let first = RequestID.make()
        let second = RequestID.make()
        #expect(first.utf8.count == 32 && second.utf8.count == 32)
        #expect(first.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(first.prefix(16) == second.prefix(16))
        // Other tests make ids at the same time: later, not necessarily next.
        #expect(UInt64(second.suffix(16), radix: 16)! > UInt64(first.suffix(16), radix: 16)!)
        #expect(RequestID.isWellFormed(first))
    }

    @Test func cacheKeysSortQueryParametersOnlyWhenThereAreSeveral() {
        #expect(CachePolicy.key(tenant: "acme", path: "/v1/instances/x", query: nil) == "acme|/v1/instances/x|")
        #expect(CachePolicy.key(tenant: "acme", path: "/v1/instances", query: "") == "acme|/v1/instances|")
        #expect(CachePolicy.key(tenant: "acme", path: "/v1/instances", query: "limit=5") == "acme|/v1/instances|limit=5")
        #expect(
            CachePolicy.key(tenant: "acme", path: "/v1/instances", query: "status=running&limit=5&") == "acme|/v1/instances|limit=5&status=running")
    }
}
