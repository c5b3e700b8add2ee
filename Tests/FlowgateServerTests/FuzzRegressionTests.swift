import FlowgateServer
import Foundation
import HummingbirdTesting
import Testing

/// Inputs `scripts/fuzz.sh` found that broke an invariant, replayed through the real router.
///
/// The byte-bound ones fail on this branch as the issue-14 report describes (lengths counted in
/// Characters: 171 U+FFFD are 171 characters but 513 bytes). They are wrapped in `withKnownIssue` until
/// the byte-bound validation lands; once it does, each wrapper reports "known issue was not recorded":
/// delete the wrapper and keep the test.
struct FuzzRegressionTests {
    /// `Fuzz/Corpus/canonical-id/bytes-over-512`: `t:` + 170 × U+FFFD + `t` (513 bytes, 173 characters).
    @Test func anIDOver512BytesIs400EvenWhenItHasFewerCharacters() async throws {
        let id = "t:" + String(repeating: "\u{FFFD}", count: 170) + "t"
        #expect(id.utf8.count == 513)
        try await TestGateway.app().test(.router) { client in
            try await client.execute(uri: "/v1/instances/" + Self.encoded(id), method: .get, headers: .bearer(TestKeys.acmeReadWrite)) { response in
                let fields = (try? ErrorBody(response))?.detailFields
                withKnownIssue("ids are bounded in Characters until the byte-bound validation lands") {
                    #expect(response.status == .badRequest)
                    #expect(fields == ["id"])
                }
            }
        }
    }

    /// `Fuzz/Corpus/query/connection-over-512-bytes`: a `connection` value of 175 × U+FFFD (525 bytes).
    @Test func aConnectionFilterOver512BytesIs400() async throws {
        let name = String(repeating: "\u{FFFD}", count: 175)
        try await TestGateway.app().test(.router) { client in
            try await client.execute(uri: "/v1/instances?connection=" + Self.encoded(name), method: .get, headers: .bearer(TestKeys.acmeReadWrite)) { response in
                let fields = (try? ErrorBody(response))?.detailFields
                withKnownIssue("query values are bounded in Characters until the byte-bound validation lands") {
                    #expect(response.status == .badRequest)
                    #expect(fields == ["connection"])
                }
            }
        }
    }

    private static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
