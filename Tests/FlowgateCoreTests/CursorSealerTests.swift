import FlowgateCore
import Foundation
import Testing

struct CursorSealerTests {
    let sealer = CursorSealer(secret: "test-cursor-secret-0123456789")
    let cursor = ListCursor(tenant: "acme", query: "q1", positions: ["geo": .int(50), "cf": .string("abc")])

    @Test func roundTripsForTheSameTenantAndQuery() throws {
        let token = try sealer.seal(cursor)
        #expect(token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }, "URL-safe as it is")
        #expect(try sealer.open(token, tenant: "acme", query: "q1") == cursor)
    }

    /// Neither the tenant, nor the filters, nor the positions can be read from a token.
    @Test func payloadIsUnreadable() throws {
        let readable = ListCursor(tenant: "tenant-acme-corp", query: "fingerprint-q1", positions: ["geo-conn": .string("upstream-position-7")])
        let token = try sealer.seal(readable)
        let body = String(token.dropFirst(3)).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let bytes = try #require(Data(base64Encoded: body + String(repeating: "=", count: (4 - body.utf8.count % 4) % 4)))
        let text = String(decoding: bytes, as: UTF8.self) + token
        for secret in ["tenant-acme-corp", "fingerprint-q1", "geo-conn", "upstream-position-7", "acme"] {
            #expect(!text.contains(secret), "the token shows \(secret)")
        }
        #expect(try sealer.seal(readable) != token, "a fresh nonce per seal: equal cursors do not give equal tokens")
    }

    /// Another tenant's genuine cursor, a tampered one, garbage and one sealed under another secret
    /// all get the same words: the answer never says which it was.
    @Test func everyCursorNotIssuedToTheCallerGetsOneMessage() throws {
        let token = try sealer.seal(cursor)
        var tampered = Array(token.utf8)
        tampered[tampered.count / 2] = tampered[tampered.count / 2] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let candidates: [(String, String)] = [
            (token, "globex"),
            (String(decoding: tampered, as: UTF8.self), "acme"),
            (try CursorSealer(secret: "another-secret-0123456789").seal(cursor), "acme"),
            ("v1.eyJ0IjoiYWNtZSJ9.AAAA", "acme"),
            ("garbage", "acme"),
            (String(token.dropLast(4)), "acme"),
        ]
        for (candidate, tenant) in candidates {
            let error = try #require(throws: GatewayError.self) { try sealer.open(candidate, tenant: tenant, query: "q1") }
            #expect(error.code == .invalidRequest)
            #expect(error.details == [.init(field: "cursor", issue: CursorSealer.notIssuedIssue)])
        }
    }

    /// A genuine cursor of this tenant sent with other filters says so: only this tenant's own
    /// authenticated cursor can reach that message.
    @Test func refusesACursorFromOtherFiltersWithItsOwnMessage() throws {
        let token = try sealer.seal(cursor)
        let error = try #require(throws: GatewayError.self) { try sealer.open(token, tenant: "acme", query: "q2") }
        #expect(error.details == [.init(field: "cursor", issue: CursorSealer.otherFiltersIssue)])
    }

    @Test(arguments: ["", "garbage", "v1.x.y", "v2.abc.def", "v2.", "v2.AAAA", "v1..", String(repeating: "a", count: 5000), "v2.%%%"])
    func refusesGarbage(token: String) {
        #expect(throws: GatewayError.self) { try sealer.open(token, tenant: "acme", query: "q1") }
    }
}
