import AsyncHTTPClient
import FlowgateEmulators
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOHTTP1
import Testing

/// Every Cloudflare error code of docs/upstreams/cloudflare.md#errors, forced in Cloudflare's own envelope, and the
/// answers that break Cloudflare's contract.
@Suite struct CloudflareE2EErrorTests {
    struct Case: Sendable, CustomStringConvertible {
        var status: Int
        var code: String
        var canonical: String
        var http: Int
        /// The canonical operation the error is forced on: one that can meet it upstream.
        var operation: Operation = .get
        var description: String { "\(status) \(code) → \(http) \(canonical) on \(operation)" }
    }

    enum Operation: String, Sendable { case get, start, cancel }

    static let cases: [Case] = [
        Case(status: 401, code: "10000", canonical: "UPSTREAM_AUTH_FAILED", http: 502),
        Case(status: 403, code: "10000", canonical: "FORBIDDEN", http: 403),
        Case(status: 500, code: "10001", canonical: "UPSTREAM_ERROR", http: 502),
        Case(status: 400, code: "10002", canonical: "UNPROCESSABLE", http: 422, operation: .start),
        Case(status: 404, code: "10200", canonical: "NOT_FOUND", http: 404),
        Case(status: 403, code: "10208", canonical: "FORBIDDEN", http: 403),
        Case(status: 404, code: "10400", canonical: "NOT_FOUND", http: 404),
        Case(status: 400, code: "10401", canonical: "CONFLICT", http: 409, operation: .cancel),
        Case(status: 400, code: "10405", canonical: "CONFLICT", http: 409, operation: .start),
        Case(status: 400, code: "10415", canonical: "CONFLICT", http: 409, operation: .start),
        Case(status: 429, code: "971", canonical: "RATE_LIMITED", http: 429),
        // A code nobody documented: judged by its HTTP status.
        Case(status: 409, code: "10999", canonical: "CONFLICT", http: 409, operation: .start),
        // On a start: a read would be retried past a single 503 (see ResilienceEndToEndTests).
        Case(status: 503, code: "10998", canonical: "UPSTREAM_UNAVAILABLE", http: 503, operation: .start),
    ]

    @Test(arguments: cases) func upstreamCodesMapToCanonicalErrors(_ test: Case) async throws {
        try await LiveStack.run { stack, client in
            let emulator = stack.emulator("cloudflare")
            emulator.faults.add(Fault(.error(status: test.status, code: test.code), pathPrefix: "/client/v4/", count: 1))
            let response: TestResponse
            switch test.operation {
            case .get:
                response = try await client.get("/v1/instances/cf:order-fulfillment:order-10220")
                OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}", method: "get")
            case .start:
                response = try await client.post("/v1/instances", #"{"definition": "cf:order-fulfillment", "instance_id": "o-1"}"#)
                CFStartAnswer.check(response)
            case .cancel:
                response = try await client.post("/v1/instances/cf:order-fulfillment:order-10220/cancel", nil)
                OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}/cancel", method: "post")
            }
            #expect(Int(response.status.code) == test.http)
            let error = try ErrorBody(response)
            #expect(error.code == test.canonical)
            #expect(error.object["connection"] as? String == "cf" && error.object["provider"] as? String == "cloudflare")
            let upstream = try #require(error.object["upstream"] as? [String: Any])
            #expect(upstream["status"] as? Int == test.status && upstream["code"] as? String == test.code)
            #expect(emulator.recorder.count == 1)
        }
    }

    /// The stub answers every call under `/client/v4/` with `answer`; the gateway's error is checked.
    private static func contractBreak(
        _ answer: @escaping @Sendable () -> Response, check: @escaping @Sendable (TestResponse) throws -> Void
    ) async throws {
        try await CFStubUpstream.run({ router in
            router.get("/client/v4/**") { _, _ in answer() }
        }) { port in
            try await LiveStack.run(config: { $0.configYAML(extraConnections: CFStubUpstream.cloudflareConnection("cfstub", port: port)) }) {
                _, client in
                let response = try await client.get("/v1/instances/cfstub:flow:one")
                OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}", method: "get")
                try check(response)
            }
        }
    }

    @Test(arguments: [
        ("<html>gateway hiccup</html>", "not JSON"),
        (#"{"success": true, "errors": [], "messages": []}"#, "result is missing"),
        (#"{"success": true, "errors": [], "messages": [], "result": {"status": 7}}"#, "result.status"),
        (#"{"success": true, "errors": [], "messages": [], "result": {"queued": "2026-03-10T08:00:00Z"}}"#, "result.status is missing"),
        (#"[1, 2, 3]"#, "not an object"),
    ])
    func brokenSuccessesAreUpstreamErrors(body: String, mention: String) async throws {
        try await Self.contractBreak({ CFStubUpstream.json(.ok, body) }) { response in
            #expect(response.status == .badGateway)
            let error = try ErrorBody(response)
            #expect(error.code == "UPSTREAM_ERROR")
            #expect(error.message.contains(mention), "\(error.message)")
        }
    }

    /// What the detail can do without is tolerated: a time that is not one is null, the steps that
    /// cannot be read are left out, and the answer stands.
    @Test func unreadableOptionalFieldsAreNullNotErrors() async throws {
        let body =
            #"{"success": true, "errors": [], "messages": [], "result": {"status": "running", "queued": "yesterday", "params": [1], "steps": [7, {"name": "x"}, {"type": "step", "name": "fetch", "start": "2026-03-10T08:00:00.117Z", "end": null, "output": {"rows": 3}}]}}"#
        try await Self.contractBreak({ CFStubUpstream.json(.ok, body) }) { response in
            #expect(response.status == .ok)
            let detail = try CFJSON.object(response)
            #expect(detail["started_at"] is NSNull && detail["status"] as? String == "running")
            #expect((detail["variables"] as? [String: [Int]]) == ["params": [1]], "a non-object input kept under params")
            #expect((detail["current_step"] as? [String: Any])?["name"] as? String == "fetch")
            #expect(detail["updated_at"] as? String == "2026-03-10T08:00:00.117Z", "the step's start, to the millisecond")
        }
    }

    @Test func successFalseBesideA200IsAnUpstreamError() async throws {
        let body =
            #"{"success": false, "errors": [{"code": 10001, "message": "token stub-token-123456 broke"}], "messages": [], "result": {"status": "running"}}"#
        try await Self.contractBreak({ CFStubUpstream.json(.ok, body) }) { response in
            #expect(response.status == .badGateway)
            let error = try ErrorBody(response)
            #expect(error.code == "UPSTREAM_ERROR")
            let upstream = try #require(error.object["upstream"] as? [String: Any])
            #expect(upstream["code"] as? String == "10001")
            #expect(upstream["message"] as? String == "token *** broke", "the connection's secret is scrubbed")
        }
    }

    @Test func anUpstream429CarriesItsRetryAfter() async throws {
        let body =
            #"{"success": false, "errors": [{"code": 971, "message": "Please wait and consider throttling your request speed"}], "messages": [], "result": null}"#
        try await Self.contractBreak({
            CFStubUpstream.json(
                .tooManyRequests, body, headers: [HTTPField.Name("retry-after")!: "287", HTTPField.Name("Ratelimit")!: #""default";r=0;t=287"#])
        }) { response in
            #expect(response.status == .tooManyRequests)
            let error = try ErrorBody(response)
            #expect(error.code == "RATE_LIMITED")
            #expect(error.object["retry_after_s"] as? Int == 287)
            #expect(error.object["retryable"] as? Bool == true)
        }
    }

    /// Without `retry-after`, the `Ratelimit` header's `t=` says how long.
    @Test func theRatelimitHeaderStandsInForRetryAfter() async throws {
        try await Self.contractBreak({
            CFStubUpstream.json(.tooManyRequests, "too many", headers: [HTTPField.Name("Ratelimit")!: #""default";r=0;t=120"#])
        }) { response in
            #expect(response.status == .tooManyRequests)
            let error = try ErrorBody(response)
            #expect(error.object["retry_after_s"] as? Int == 120)
        }
    }

    /// The real limit: 1200 requests per 5 minutes per token, then a 5-minute block answered with
    /// Cloudflare's 429 and `retry-after`, which the gateway passes on as `retry_after_s`.
    @Test func theTokenLimitOfTheEmulatorBecomesRateLimited() async throws {
        try await LiveStack.run { stack, client in
            let port = try #require(stack.ports["cloudflare"])
            let url = "http://127.0.0.1:\(port)/client/v4/accounts/demo0account/workflows"
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        for _ in stride(from: worker, to: 1_201, by: 8) {
                            var request = HTTPClientRequest(url: url)
                            request.headers.add(name: "Authorization", value: "Bearer \(LiveStack.Demo.cloudflareToken)")
                            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                            _ = try await response.body.collect(upTo: 1 << 20)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let response = try await client.get("/v1/instances/cf:order-fulfillment:order-10220")
            #expect(response.status == .tooManyRequests)
            OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}", method: "get")
            let error = try ErrorBody(response)
            #expect(error.code == "RATE_LIMITED")
            let seconds = try #require(error.object["retry_after_s"] as? Int)
            #expect((290...300).contains(seconds))
            #expect((error.object["upstream"] as? [String: Any])?["status"] as? Int == 429)
        }
    }
}
