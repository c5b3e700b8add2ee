import AsyncHTTPClient
import FlowgateEmulators
import FlowgateServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Testing

/// The shared response cache through the gateway (docs/cache.md): coalescing, tenant isolation,
/// invalidation by writes, stale answers, and the byte bound.
@Suite struct CacheEndToEndTests {
    static let detail = "/v1/instances/wf:50100"
    static let statusPath = "/processapi/50100/status"

    /// 1000 callers ask for the same instance at once while Workingflow takes 300 ms: one upstream
    /// call, 1000 identical answers.
    @Test func thousandConcurrentIdenticalReadsMakeOneUpstreamCall() async throws {
        // An hour's TTL: on a loaded machine the burst may outlast Workingflow's few seconds.
        let config: @Sendable (LiveStack) -> String = { stack in
            stack.configYAML().replacingOccurrences(
                of: "credentials: {api_key: \(LiveStack.Demo.workingflowKey)}\n      - name: geo",
                with: "credentials: {api_key: \(LiveStack.Demo.workingflowKey)}\n        cache: {ttl_s: {get_instance: 3600}}\n      - name: geo"
            )
        }
        try await LiveStack.run(config: config) { stack, client in
            let port = try #require(client.port)
            let workingflow = stack.emulator("workingflow")
            workingflow.faults.add(Fault(.latency(.milliseconds(300)), pathPrefix: Self.statusPath))
            var configuration = HTTPClient.Configuration()
            configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 1000)
            let bodies = try await withHTTPClient(configuration) { http in
                try await withThrowingTaskGroup(of: (Int, String, String?).self) { group in
                    for _ in 0..<1000 {
                        group.addTask {
                            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(Self.detail)")
                            request.headers.add(name: "Authorization", value: "Bearer \(TestKeys.acmeReadWrite)")
                            let response = try await http.execute(request, timeout: .seconds(30))
                            let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
                            return (Int(response.status.code), body, response.headers.first(name: "X-Cache"))
                        }
                    }
                    return try await group.reduce(into: [(Int, String, String?)]()) { $0.append($1) }
                }
            }
            #expect(bodies.count == 1000)
            #expect(bodies.allSatisfy { $0.0 == 200 })
            #expect(Set(bodies.map(\.1)).count == 1, "every caller got the same bytes")
            #expect(bodies.allSatisfy { $0.2 == "MISS" || $0.2 == "HIT" })
            #expect(workingflow.recorder.all.filter { $0.path == Self.statusPath }.count == 1, "one upstream call")
        }
    }

    /// The caller who started the fill goes away; those who joined it still get the answer, and the
    /// fill still lands in the cache.
    @Test func theFirstCallerLeavingDoesNotBreakTheOthers() async throws {
        try await LiveStack.run { stack, client in
            let port = try #require(client.port)
            let workingflow = stack.emulator("workingflow")
            workingflow.faults.add(Fault(.latency(.milliseconds(500)), pathPrefix: Self.statusPath, count: 1))
            try await withHTTPClient { http in
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(Self.detail)")
                request.headers.add(name: "Authorization", value: "Bearer \(TestKeys.acmeReadWrite)")
                let impatient = request
                let first = Task { try await http.execute(impatient, timeout: .milliseconds(150)) }
                try await Task.sleep(for: .milliseconds(50))
                let second = Task { try await http.execute(request, timeout: .seconds(10)) }
                let firstResult = await first.result
                #expect(throws: (any Error).self) { try firstResult.get() }
                let answer = try await second.value
                #expect(answer.status.code == 200)
                #expect(answer.headers.first(name: "X-Cache") == "MISS")
                let third = try await http.execute(request, timeout: .seconds(10))
                #expect(third.headers.first(name: "X-Cache") == "HIT")
            }
            #expect(workingflow.recorder.all.filter { $0.path == Self.statusPath }.count == 1)
        }
    }

    @Test func answersAreNeverSharedAcrossTenants() async throws {
        try await LiveStack.run { stack, client in
            let acme = try await client.canonical(Self.detail, template: "/v1/instances/{id}")
            #expect(acme.headers[.xCacheTest] == "MISS")
            let again = try await client.canonical(Self.detail, template: "/v1/instances/{id}")
            #expect(again.headers[.xCacheTest] == "HIT")
            #expect(Int(again.headers[.ageTest] ?? "") != nil)
            let globex = try await client.canonical("/v1/instances/gx:50100", template: "/v1/instances/{id}", key: TestKeys.globex)
            #expect(globex.headers[.xCacheTest] == "MISS", "globex's answer is its own, from its own upstream call")
            #expect(globex.data?["id"] as? String == "gx:50100")
            let unknown = try await client.canonical("/v1/instances/gx:50100", template: "/v1/instances/{id}")
            #expect(unknown.status == 404, "acme cannot reach globex's cached answer")
            #expect(stack.emulator("workingflow").recorder.all.filter { $0.path == Self.statusPath }.count == 2)
        }
    }

    @Test func writesInvalidateTheInstanceAndItsConnectionsLists() async throws {
        try await LiveStack.run { stack, client in
            let id = "geo:591847302948571634"
            let list = "/v1/instances?connection=geo&limit=5"
            _ = try await client.canonical("/v1/instances/\(id)", template: "/v1/instances/{id}")
            _ = try await client.canonical(list, template: "/v1/instances")
            let cachedList = try await client.canonical(list, template: "/v1/instances")
            #expect(cachedList.headers[.xCacheTest] == "HIT")
            let cancelled = try await client.canonical("/v1/instances/\(id)/cancel", .post, template: "/v1/instances/{id}/cancel", body: "{}")
            #expect(cancelled.status == 200)
            let detail = try await client.canonical("/v1/instances/\(id)", template: "/v1/instances/{id}")
            #expect(detail.headers[.xCacheTest] == "MISS")
            #expect(detail.data?["status"] as? String == "cancelled", "no stale running status after the cancel")
            let freshList = try await client.canonical(list, template: "/v1/instances")
            #expect(freshList.headers[.xCacheTest] == "MISS")
            let otherConnection = try await client.canonical("/v1/definitions?connection=wf", template: "/v1/definitions")
            #expect(otherConnection.headers[.xCacheTest] == "MISS")
            let stillCached = try await client.canonical("/v1/definitions?connection=wf", template: "/v1/definitions")
            #expect(stillCached.headers[.xCacheTest] == "HIT")
        }
    }

    @Test func noCacheForcesAFreshRead() async throws {
        try await LiveStack.run { stack, client in
            _ = try await client.canonical(Self.detail, template: "/v1/instances/{id}")
            let fresh = try await client.canonical(Self.detail, template: "/v1/instances/{id}", headers: [.cacheControl: "no-cache"])
            #expect(fresh.headers[.xCacheTest] == "BYPASS")
            #expect(stack.emulator("workingflow").recorder.all.filter { $0.path == Self.statusPath }.count == 2)
            let hit = try await client.canonical(Self.detail, template: "/v1/instances/{id}")
            #expect(hit.headers[.xCacheTest] == "HIT")
        }
    }

    /// After the TTL, an upstream failure is answered with the last good answer (stale-if-error);
    /// within the stale-while-revalidate window the stale answer comes at once and one refresh runs.
    @Test func staleAnswersStandInAfterTheTTL() async throws {
        let config: @Sendable (LiveStack) -> String = { stack in
            stack.configYAML(
                extraConnections: """
                          - name: wf1
                            provider: workingflow
                            base_url: \(stack.baseURL("workingflow"))
                            credentials: {api_key: \(LiveStack.Demo.workingflowKey)}
                            cache: {ttl_s: {get_instance: 1}}
                    """,
                cache: "  stale_while_revalidate_s: 3\n  stale_if_error_s: 60"
            )
        }
        let clock = ManualClock()
        try await LiveStack.run(clock: clock, config: config) { stack, client in
            let workingflow = stack.emulator("workingflow")
            @Sendable func calls() -> Int { workingflow.recorder.all.filter { $0.path == Self.statusPath }.count }
            let first = try await client.canonical("/v1/instances/wf1:50100", template: "/v1/instances/{id}")
            #expect(first.headers[.xCacheTest] == "MISS")
            clock.advance(by: .milliseconds(999))
            #expect(try await client.canonical("/v1/instances/wf1:50100", template: "/v1/instances/{id}").headers[.xCacheTest] == "HIT")
            clock.advance(by: .milliseconds(301))
            let revalidating = try await client.canonical("/v1/instances/wf1:50100", template: "/v1/instances/{id}")
            #expect(revalidating.headers[.xCacheTest] == "STALE")
            #expect(revalidating.headers[.ageTest] == "1")
            #expect(revalidating.text == first.text)
            // The refresh lands in the cache in the background: once it has, the answer is a fresh hit again.
            try await eventually {
                try await client.canonical("/v1/instances/wf1:50100", template: "/v1/instances/{id}").headers[.xCacheTest] == "HIT"
            }
            #expect(calls() == 2, "one background refresh")

            // Past TTL and stale-while-revalidate of the refreshed answer: only an error may fall back on it.
            clock.advance(by: .milliseconds(4200))
            workingflow.faults.add(Fault(.error(status: 500, code: "INTERNAL_ERROR"), pathPrefix: "/processapi/"))
            let onError = try await client.canonical("/v1/instances/wf1:50100", template: "/v1/instances/{id}")
            #expect(onError.status == 200)
            #expect(onError.headers[.xCacheTest] == "STALE")
            #expect(onError.headers[.ageTest] == "4")
            let neverCached = try await client.canonical("/v1/instances/wf1:50150", template: "/v1/instances/{id}")
            #expect(neverCached.status == 502, "nothing to stand in: the error itself")
        }
    }

    /// A flood of distinct answers stays within `cache.max_bytes`, evicting the least recently used.
    @Test func theByteBoundHoldsUnderAFloodOfDistinctKeys() async throws {
        let metrics = GatewayMetrics()
        let config: @Sendable (LiveStack) -> String = { stack in
            stack.configYAML(
                extraConnections: """
                          - name: b24x
                            provider: bitrix24
                            base_url: \(stack.baseURL("bitrix24"))
                            credentials: {api_key: \(LiveStack.Demo.bitrixAppKey), user_token: \(LiveStack.Demo.bitrixSession)}
                            portal: burst-friendly.bitrix24.test
                            limits: {portal: {window: {limit: 1000, seconds: 1}}}
                    """
            ).replacingOccurrences(of: "  max_bytes: 67108864", with: "  max_bytes: 40000")
        }
        try await LiveStack.run(emulators: burstFriendlyEmulators(), metrics: metrics, config: config) { _, client in
            for limit in 1...60 {
                let page = try await client.canonical("/v1/instances?connection=b24x&limit=\(limit)", template: "/v1/instances")
                #expect(page.status == 200)
                #expect(page.items.count == limit)
            }
            let text = String(decoding: metrics.exposition(), as: UTF8.self)
            let bytes = text.split(separator: "\n").first { $0.hasPrefix("flowgate_cache_bytes ") }.flatMap { Double($0.split(separator: " ")[1]) }
            #expect((bytes ?? .infinity) <= 40000)
            let evicted = text.split(separator: "\n").first { $0.hasPrefix(#"flowgate_cache_events_total{result="evicted"}"#) }
            #expect((evicted?.split(separator: " ").last.flatMap { Int($0) } ?? 0) > 0, "the least recently used answers were evicted")
            let recent = try await client.canonical("/v1/instances?connection=b24x&limit=60", template: "/v1/instances")
            #expect(recent.headers[.xCacheTest] == "HIT", "the most recent answer is still there")
        }
    }
}

extension HTTPField.Name {
    static let xCacheTest = Self("X-Cache")!
    static let ageTest = Self("Age")!
}
