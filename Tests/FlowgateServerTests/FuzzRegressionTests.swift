import FlowgateServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Inputs `scripts/fuzz.sh` found that broke an invariant, replayed through the real router.
///
/// They were found before the byte-counted bounds landed, when lengths were counted in Characters
/// (170 U+FFFD are 170 characters but 510 bytes) and an `instance_id` could start with `-`.
struct FuzzRegressionTests {
    /// `Fuzz/Corpus/canonical-id/bytes-over-512`: `t:` + 170 × U+FFFD + `t` (513 bytes, 173 characters).
    @Test func anIDOver512BytesIs400EvenWhenItHasFewerCharacters() async throws {
        let id = "t:" + String(repeating: "\u{FFFD}", count: 170) + "t"
        #expect(id.utf8.count == 513)
        try await TestGateway.app().test(.router) { client in
            try await client.execute(uri: "/v1/instances/" + Self.encoded(id), method: .get, headers: .bearer(TestKeys.acmeReadWrite)) { response in
                let fields = (try? ErrorBody(response))?.detailFields
                #expect(response.status == .badRequest)
                #expect(fields == ["id"])
            }
        }
    }

    /// `Fuzz/Corpus/query/connection-over-512-bytes`: a `connection` value of 175 × U+FFFD (525 bytes).
    @Test func aConnectionFilterOver512BytesIs400() async throws {
        let name = String(repeating: "\u{FFFD}", count: 175)
        try await TestGateway.app().test(.router) { client in
            try await client.execute(uri: "/v1/instances?connection=" + Self.encoded(name), method: .get, headers: .bearer(TestKeys.acmeReadWrite)) {
                response in
                let fields = (try? ErrorBody(response))?.detailFields
                #expect(response.status == .badRequest)
                #expect(fields == ["connection"])
            }
        }
    }

    /// `Fuzz/Corpus/body/instance-id-leading-dash`: `instance_id` `-1` passed the canonical check (a
    /// Cloudflare connection refuses it later, as its own rule); the canonical rule forbids a leading `-`.
    @Test func anInstanceIDStartingWithADashIsRefusedByTheCanonicalCheck() async throws {
        try await TestGateway.app().test(.router) { client in
            let body = ByteBuffer(string: #"{"definition":"cf:order-fulfillment","instance_id":"-1"}"#)
            try await client.execute(uri: "/v1/instances", method: .post, headers: .bearer(TestKeys.acmeReadWrite), body: body) { response in
                #expect(response.status == .badRequest)
                let error = try ErrorBody(response)
                #expect(error.detailFields == ["instance_id"])
                #expect(error.object["provider"] is NSNull, "the canonical check, not a provider's, refuses it")
            }
        }
    }

    private static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
