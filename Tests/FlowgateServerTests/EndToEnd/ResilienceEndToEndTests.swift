import FlowgateEmulators
import FlowgateServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Token buckets, upstream rate-limit feedback, the circuit breaker, read retries and the inbound key
/// limit, through the gateway against the emulators (docs/resilience.md).
@Suite struct ResilienceEndToEndTests {
    /// 45 distinct reads at once on one Geotareas credential: the bucket (burst 10, 1 per 3 s) lets
    /// through what fits Geotareas' sliding 30/min, and every other caller gets a local 429 naming
    /// the bucket — the upstream never has to refuse.
    @Test func concurrentGeotareasReadsStayWithinItsWindow() async throws {
        try await LiveStack.run { stack, client in
            let answers = try await withThrowingTaskGroup(of: Canonical.self) { group in
                for index in 0..<45 {
                    group.addTask {
                        try await client.canonical("/v1/instances/geo:\(591_847_302_948_571_000 + index)", template: "/v1/instances/{id}")
                    }
                }
                return try await group.reduce(into: [Canonical]()) { $0.append($1) }
            }
            let reads = stack.emulator("geotareas").recorder.all.filter { $0.path.hasPrefix("/apidev/v1/workflow/") }
            #expect(reads.count <= 30, "the emulator saw \(reads.count) reads within the test's few seconds")
            #expect(reads.count >= 10, "the burst went through")
            let limited = answers.filter { $0.status == 429 }
            #expect(limited.count == 45 - reads.count)
            #expect(answers.allSatisfy { $0.status == 429 || $0.status == 404 || $0.status == 200 })
            for answer in limited {
                #expect(Int(answer.headers[.retryAfter] ?? "") ?? 0 >= 1)
                let details = answer.error?["details"] as? [[String: Any]]
                #expect(details?.first?["issue"] as? String == "geo/reads")
                #expect((answer.error?["upstream"]).map { $0 is NSNull } ?? true, "refused locally, not by Geotareas")
            }
        }
    }

    /// One Cloudflare 429 blocks that token: later calls are refused locally with the remaining
    /// `Retry-After` and never reach Cloudflare, while another tenant's token keeps working.
    @Test func aCloudflare429BlocksOnlyThatToken() async throws {
        let other = CloudflareEmulator(credentials: .init(token: "cf_other_token_1111", accountID: "other0account"))
        try await LiveStack.withEmulator(other) { otherPort in
            let config: @Sendable (LiveStack) -> String = { stack in
                stack.configYAML().replacingOccurrences(
                    of: "      - name: gx\n",
                    with: """
                              - name: cfx
                                provider: cloudflare
                                base_url: http://127.0.0.1:\(otherPort)/client/v4
                                account_id: other0account
                                credentials: {api_token: cf_other_token_1111}
                              - name: gx

                        """
                )
            }
            try await LiveStack.run(config: config) { stack, client in
                let cloudflare = stack.emulator("cloudflare")
                cloudflare.faults.add(Fault(.error(status: 429, code: "971"), count: 1))
                let first = try await client.canonical("/v1/definitions?connection=cf", template: "/v1/definitions")
                #expect(first.status == 429)
                let calls = cloudflare.recorder.count
                let second = try await client.canonical("/v1/instances/cf:order-fulfillment:x1", template: "/v1/instances/{id}")
                #expect(second.status == 429)
                #expect(Int(second.headers[.retryAfter] ?? "") ?? 0 > 200, "Cloudflare blocks a token for 5 minutes")
                #expect(cloudflare.recorder.count == calls, "no call reached Cloudflare while the token is blocked")

                let elsewhere = try await client.canonical("/v1/definitions", template: "/v1/definitions", key: TestKeys.globex)
                #expect(elsewhere.status == 200)
                #expect(elsewhere.items.contains { $0["connection"] as? String == "cfx" })
            }
        }
    }

    @Test func theBreakerOpensFailsFastAndRecovers() async throws {
        let metrics = GatewayMetrics()
        let clock = ManualClock()
        try await LiveStack.run(metrics: metrics, clock: clock, config: { $0.configYAML(server: "  breaker_failures: 3\n  breaker_cooldown_s: 2") }) {
            stack, client in
            let workingflow = stack.emulator("workingflow")
            workingflow.faults.add(Fault(.error(status: 500, code: "INTERNAL_ERROR"), pathPrefix: "/processapi/"))
            for _ in 0..<3 {
                let failed = try await client.canonical("/v1/instances/wf:50100", template: "/v1/instances/{id}")
                #expect(failed.status == 502)
            }
            let calls = workingflow.recorder.count
            let fast = try await client.canonical("/v1/instances/wf:50100", template: "/v1/instances/{id}")
            #expect(fast.status == 503)
            #expect(fast.error?["code"] as? String == "UPSTREAM_UNAVAILABLE")
            #expect(fast.headers[.retryAfter] == "2", "the rest of the cooldown")
            #expect(workingflow.recorder.count == calls, "an open circuit sends nothing upstream")
            let open = try await client.canonical("/v1/connections", template: "/v1/connections")
            let wf = open.items.first { $0["name"] as? String == "wf" }
            #expect((wf?["health"] as? [String: Any])?["circuit"] as? String == "open")
            #expect(String(decoding: metrics.exposition(), as: UTF8.self).contains(#"flowgate_circuit_open{tenant="acme",connection="wf"} 1"#))

            workingflow.faults.clear()
            clock.advance(by: .seconds(2))
            let probe = try await client.canonical("/v1/instances/wf:50100", template: "/v1/instances/{id}")
            #expect(probe.status == 200, "the half-open probe went through")
            let closed = try await client.canonical("/v1/connections", template: "/v1/connections")
            let recovered = closed.items.first { $0["name"] as? String == "wf" }
            #expect((recovered?["health"] as? [String: Any])?["circuit"] as? String == "closed")
        }
    }

    @Test func readsAreRetriedWritesNever() async throws {
        try await LiveStack.run { stack, client in
            let workingflow = stack.emulator("workingflow")
            workingflow.faults.add(Fault(.error(status: 503, code: "INTERNAL_ERROR"), pathPrefix: "/processapi/50100/status", count: 1))
            let read = try await client.canonical("/v1/instances/wf:50100", template: "/v1/instances/{id}")
            #expect(read.status == 200)
            #expect(workingflow.recorder.all.filter { $0.path == "/processapi/50100/status" }.count == 2)

            workingflow.faults.add(
                Fault(.error(status: 503, code: "SERVICE_UNAVAILABLE"), pathPrefix: "/processapi/expense_reimbursement_demo/start", count: 1))
            let write = try await client.canonical(
                "/v1/instances", .post, template: "/v1/instances", body: #"{"definition": "wf:expense_reimbursement_demo"}"#
            )
            #expect(write.status == 503)
            #expect(workingflow.recorder.all.filter { $0.path.hasSuffix("/start") }.count == 1, "a start is never repeated")
        }
    }

    @Test func aKeyOverItsInboundRateGets429BeforeAnyUpstreamCall() async throws {
        try await LiveStack.run(config: { $0.configYAML(rwKeyRate: "{per_second: 0.05, burst: 2}") }) { stack, client in
            for _ in 0..<2 {
                let allowed = try await client.canonical("/v1/connections", template: "/v1/connections")
                #expect(allowed.status == 200)
            }
            let refused = try await client.canonical("/v1/instances/wf:50100", template: "/v1/instances/{id}")
            #expect(refused.status == 429)
            // A token every 20 s: however slow a loaded machine makes the first two requests, the third is refused.
            #expect(refused.headers[.retryAfter].flatMap(Int.init).map { (10...20).contains($0) } == true, "the next token is up to 20 s away")
            #expect(stack.emulator("workingflow").recorder.count == 0)
            let otherKey = try await client.canonical("/v1/connections", template: "/v1/connections", key: TestKeys.acmeReadOnly)
            #expect(otherKey.status == 200, "the limit is per key")
        }
    }
}

extension HTTPField.Name {
    static let retryAfter = Self("Retry-After")!
}
