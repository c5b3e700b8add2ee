import FlowgateServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

struct RequestIDTests {
    @Test func echoesAWellFormedID() async throws {
        try await TestGateway.app().test(.router) { client in
            try await client.execute(uri: "/nope", method: .get, headers: [.init("X-Request-Id")!: "trace-42.a_b:c"]) { response in
                #expect(response.headers[.init("X-Request-Id")!] == "trace-42.a_b:c")
                let error = try ErrorBody(response)
                #expect(error.object["request_id"] as? String == "trace-42.a_b:c")
            }
        }
    }

    @Test(arguments: ["has space", "", String(repeating: "a", count: 129), "quote\"d", "ünicode"])
    func replacesAMalformedID(id: String) async throws {
        try await TestGateway.app().test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get, headers: [.init("X-Request-Id")!: id]) { response in
                let echoed = try #require(response.headers[.init("X-Request-Id")!])
                #expect(echoed != id)
                #expect(echoed.count == 32 && echoed.allSatisfy(\.isHexDigit))
            }
        }
    }
}
