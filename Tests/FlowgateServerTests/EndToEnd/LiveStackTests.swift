import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct LiveStackTests {
    @Test func gatewayAndEmulatorsRunTogether() async throws {
        try await LiveStack.run { stack, client in
            #expect(stack.ports.count == 4)
            try await client.execute(uri: "/v1/connections", method: .get, headers: .bearer(TestKeys.acmeReadWrite)) { response in
                #expect(response.status == .ok)
                OpenAPIValidator.shared.check(response, path: "/v1/connections", method: "get")
            }
        }
    }
}
