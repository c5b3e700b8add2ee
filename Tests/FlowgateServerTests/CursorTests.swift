import FlowgateCore
import FlowgateServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Cursors reach the list route sealed; tampered and foreign ones are refused before any upstream work.
struct CursorTests {
    /// What the list route binds a cursor to when no filter is given.
    private func token(tenant: String, filters: String) throws -> String {
        try CursorSealer(secret: TestKeys.cursorSecret).seal(ListCursor(tenant: tenant, query: filters, positions: ["geo": .int(25)]))
    }

    @Test func tamperedCursorIs400() async throws {
        try await TestGateway.app().test(.router) { client in
            let genuine = try token(tenant: "acme", filters: "x")
            var bytes = Array(genuine)
            bytes[bytes.count / 2] = bytes[bytes.count / 2] == "A" ? "B" : "A"
            for cursor in [String(bytes), "not-a-cursor", "v1.e30.AAAA"] {
                try await client.execute(uri: "/v1/instances?cursor=\(cursor)", method: .get, headers: .bearer(TestKeys.acmeReadWrite)) {
                    response in
                    #expect(response.status == .badRequest)
                    let error = try ErrorBody(response)
                    #expect(error.code == "INVALID_REQUEST")
                    #expect(error.detailFields == ["cursor"])
                }
            }
        }
    }

    @Test func anotherTenantsCursorIs400() async throws {
        try await TestGateway.app().test(.router) { client in
            // A cursor genuinely sealed by this gateway, for globex, replayed by acme.
            let foreign = try token(tenant: "globex", filters: "x")
            try await client.execute(uri: "/v1/instances?cursor=\(foreign)", method: .get, headers: .bearer(TestKeys.acmeReadWrite)) {
                response in
                #expect(response.status == .badRequest)
                let errorBody3 = try ErrorBody(response)
                #expect(errorBody3.details?.first?["issue"] as? String == CursorSealer.notIssuedIssue)
            }
        }
    }
}
