import FlowgateServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

struct AuthTests {
    @Test func missingKeyIs401WithAChallenge() async throws {
        try await TestGateway.app().test(.router) { client in
            try await client.execute(uri: "/v1/connections", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="flowgate""#)
                let errorBody1 = try ErrorBody(response)
                #expect(errorBody1.code == "UNAUTHENTICATED")
            }
        }
    }

    @Test(arguments: ["Bearer wrong-key", "Basic Zm9vOmJhcg==", "Bearer", "fgk_acme_rw_0123456789", "Bearer  "])
    func wrongOrMalformedKeyIs401(header: String) async throws {
        try await TestGateway.app().test(.router) { client in
            try await client.execute(uri: "/v1/connections", method: .get, headers: [.authorization: header]) { response in
                #expect(response.status == .unauthorized)
                let errorBody2 = try ErrorBody(response)
                #expect(errorBody2.code == "UNAUTHENTICATED")
            }
        }
    }

    @Test func schemeIsCaseInsensitive() async throws {
        try await TestGateway.app().test(.router) { client in
            try await client.execute(uri: "/v1/connections", method: .get, headers: [.authorization: "bearer \(TestKeys.acmeReadOnly)"]) {
                #expect($0.status == .ok)
            }
        }
    }

    @Test func readOnlyKeyCannotExecute() async throws {
        try await TestGateway.app().test(.router) { client in
            try await client.execute(
                uri: "/v1/instances", method: .post, headers: .bearer(TestKeys.acmeReadOnly), body: .init(string: #"{"definition":"geo:1"}"#)
            ) { response in
                #expect(response.status == .forbidden)
                let error = try ErrorBody(response)
                #expect(error.code == "FORBIDDEN")
                #expect(error.detailFields == ["scope"])
            }
            try await client.execute(uri: "/v1/instances/geo:1/cancel", method: .post, headers: .bearer(TestKeys.acmeReadOnly)) {
                #expect($0.status == .forbidden)
            }
        }
    }

    @Test func operationalRoutesNeedNoKey() async throws {
        try await TestGateway.app().test(.router) { client in
            for path in ["/healthz", "/readyz", "/metrics", "/v1/openapi.yaml"] {
                try await client.execute(uri: path, method: .get) { #expect($0.status == .ok, "\(path)") }
            }
        }
    }

    @Test func connectionsAreTheCallersTenantsOnlyAndCarryNoSecrets() async throws {
        try await TestGateway.app().test(.router) { client in
            try await client.execute(uri: "/v1/connections", method: .get, headers: .bearer(TestKeys.globex)) { response in
                #expect(response.status == .ok)
                // Everything but the instant a call asked for now would go, which is now.
                let body = String(buffer: response.body).replacing(/"next_free_at":"[^"]+"/, with: #""next_free_at":"…""#)
                #expect(
                    body
                        == #"{"data":[{"capabilities":["list_definitions","get_instance","start_instance","get_data","download_file"],"health":{"circuit":"closed"},"#
                        + #""limits":[{"bucket":"default","keyed_by":"credential","kind":"rate","limit":10,"next_free_at":"…","rate_per_s":5,"used":0,"window_s":null}],"#
                        + #""name":"gx","provider":"workingflow"}],"meta":{}}"#
                )
            }
            try await client.execute(uri: "/v1/connections", method: .get, headers: .bearer(TestKeys.acmeReadWrite)) { response in
                let body = String(buffer: response.body)
                #expect(body.contains(#""name":"b24""#) && body.contains(#""name":"wf""#) && !body.contains("gx"))
                for secret in TestKeys.upstreamSecrets { #expect(!body.contains(secret)) }
                #expect(!body.contains("127.0.0.1"), "base URLs are operator data, not the caller's")
            }
        }
    }
}
