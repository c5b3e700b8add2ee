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

    @Test func refusesAnotherTenantsCursor() throws {
        let token = try sealer.seal(cursor)
        let error = try #require(throws: GatewayError.self) { try sealer.open(token, tenant: "globex", query: "q1") }
        #expect(error.code == .invalidRequest)
        #expect(error.details?.first?.field == "cursor")
    }

    @Test func refusesACursorFromOtherFilters() throws {
        let token = try sealer.seal(cursor)
        #expect(throws: GatewayError.self) { try sealer.open(token, tenant: "acme", query: "q2") }
    }

    @Test func refusesATamperedPayload() throws {
        let token = try sealer.seal(cursor)
        let parts = token.split(separator: ".").map(String.init)
        // Re-encode a payload claiming another tenant, keeping the original signature.
        let forged = ListCursor(tenant: "globex", query: "q1", positions: cursor.positions)
        let forgedPayload = try CanonicalJSON.encode(forged).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let tampered = [parts[0], forgedPayload, parts[2]].joined(separator: ".")
        let error = try #require(throws: GatewayError.self) { try sealer.open(tampered, tenant: "globex", query: "q1") }
        #expect(error.details?.first?.issue == "was not issued by this gateway or was altered")
    }

    @Test func refusesACursorSealedWithAnotherSecret() throws {
        let token = try CursorSealer(secret: "another-secret-0123456789").seal(cursor)
        #expect(throws: GatewayError.self) { try sealer.open(token, tenant: "acme", query: "q1") }
    }

    @Test(arguments: ["", "garbage", "v1.x.y", "v2.abc.def", "v1..", String(repeating: "a", count: 5000), "v1.%%%.abc"])
    func refusesGarbage(token: String) {
        #expect(throws: GatewayError.self) { try sealer.open(token, tenant: "acme", query: "q1") }
    }
}
