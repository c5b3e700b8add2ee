import FlowgateEmulators
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Lists over several connections: merge order, exactly-once paging, partial answers, strictness,
/// skipped connections and concurrency (docs/canonical-api.md#fan-out).
@Suite struct FanOutTests {
    @Test func instancesMergeNewestFirstAndSkipWorkingflow() async throws {
        try await LiveStack.run { _, client in
            let page = try await client.canonical("/v1/instances?connection=geo&connection=cf&limit=50", template: "/v1/instances")
            #expect(page.status == 200)
            let connections = Set(page.items.compactMap { $0["connection"] as? String })
            #expect(connections == ["geo", "cf"])
            let starts = page.items.map(startedAt)
            let known = starts.compactMap { $0 }
            #expect(known == known.sorted(by: >), "newest first")
            #expect(starts.drop(while: { $0 != nil }).allSatisfy { $0 == nil }, "unknown start times last")

            let all = try await client.canonical("/v1/instances?limit=5", template: "/v1/instances")
            let skipped = all.meta["skipped"] as? [[String: Any]] ?? []
            #expect(skipped.map { $0["connection"] as? String } == ["wf"])
            #expect(skipped.first?["reason"] as? String == "NOT_SUPPORTED")
            #expect(all.meta["partial"] as? Bool == false)
        }
    }

    /// Paging the merged list of three upstreams page by page sees every instance exactly once, and
    /// the same set as paging with the largest pages.
    @Test func cursorPagingSeesEveryInstanceExactlyOnce() async throws {
        // Geotareas' reads bucket sized for this test's dozen reads (25 + 3 per minute stays within its 30).
        let config: @Sendable (LiveStack) -> String = { $0.configYAML(geoLimits: "{reads: {rate_per_s: 0.05, burst: 25}}") }
        try await LiveStack.run(emulators: burstFriendlyEmulators(), config: config) { _, client in
            func pageAll(limit: Int) async throws -> [String] {
                var ids: [String] = []
                var uri = "/v1/instances?connection=b24&connection=geo&connection=cf&limit=\(limit)"
                for _ in 0..<60 {
                    let page = try await client.canonical(uri, template: "/v1/instances")
                    try #require(page.status == 200, "\(page.text)")
                    #expect(page.meta["partial"] as? Bool == false, "\(page.meta)")
                    #expect(page.items.count <= limit)
                    ids += page.ids
                    guard let next = page.meta["next_cursor"] as? String else { return ids }
                    uri = "/v1/instances?connection=b24&connection=geo&connection=cf&limit=\(limit)&cursor=\(next)"
                }
                Issue.record("paging did not end")
                return ids
            }
            let small = try await pageAll(limit: 15)
            #expect(Set(small).count == small.count, "no instance twice")
            let large = try await pageAll(limit: 100)
            #expect(Set(small) == Set(large), "no instance missed")
            #expect(Set(large.map { $0.split(separator: ":")[0] }) == ["b24", "geo", "cf"])
        }
    }

    @Test func aCursorIsBoundToItsFiltersAndTenant() async throws {
        try await LiveStack.run { _, client in
            let first = try await client.canonical("/v1/instances?connection=cf&limit=2", template: "/v1/instances")
            let cursor = try (first.meta["next_cursor"] as? String).unwrap("a next page")
            let otherFilter = try await client.canonical("/v1/instances?connection=geo&limit=2&cursor=\(cursor)", template: "/v1/instances")
            #expect(otherFilter.status == 400)
            #expect((otherFilter.error?["details"] as? [[String: Any]])?.first?["field"] as? String == "cursor")
            let foreign = try await client.canonical(
                "/v1/instances?connection=cf&limit=2&cursor=\(cursor)", template: "/v1/instances", key: TestKeys.globex
            )
            #expect(foreign.status == 400 || foreign.status == 404)
            let tampered = try await client.canonical("/v1/instances?connection=cf&limit=2&cursor=\(cursor.dropLast(2))AA", template: "/v1/instances")
            #expect(tampered.status == 400)
        }
    }

    @Test func aFailingConnectionMakesThePagePartial() async throws {
        try await LiveStack.run { stack, client in
            stack.emulator("geotareas").faults.add(Fault(.error(status: 500, code: "INTERNAL_ERROR"), pathPrefix: "/apidev/v1/workflow/instances"))
            let page = try await client.canonical("/v1/instances?connection=geo&connection=cf&limit=10", template: "/v1/instances")
            #expect(page.status == 200)
            #expect(page.meta["partial"] as? Bool == true)
            let errors = page.meta["errors"] as? [[String: Any]] ?? []
            #expect(errors.map { $0["connection"] as? String } == ["geo"])
            #expect((errors.first?["error"] as? [String: Any])?["code"] as? String == "UPSTREAM_ERROR")
            #expect(page.items.allSatisfy { $0["connection"] as? String == "cf" })
            #expect(page.items.count == 10)
            // The failed connection keeps its place: once it recovers, the next page includes it.
            stack.emulator("geotareas").faults.clear()
            let cursor = try (page.meta["next_cursor"] as? String).unwrap("a next page")
            let next = try await client.canonical(
                "/v1/instances?connection=geo&connection=cf&limit=10&cursor=\(cursor)", template: "/v1/instances"
            )
            #expect(next.items.contains { $0["connection"] as? String == "geo" })

            let strict = try await client.canonical("/v1/instances?connection=geo&connection=cf&strict=true", template: "/v1/instances")
            #expect(strict.status == 200, "geo recovered")
            stack.emulator("geotareas").faults.add(Fault(.error(status: 500, code: "INTERNAL_ERROR"), pathPrefix: "/apidev/v1/workflow"))
            let failed = try await client.canonical(
                "/v1/instances?connection=geo&connection=cf&strict=true", template: "/v1/instances", headers: [.cacheControl: "no-cache"]
            )
            #expect(failed.status == 502)
            #expect(failed.error?["connection"] as? String == "geo")
            let definitions = try await client.canonical(
                "/v1/definitions?connection=geo&connection=cf&strict=true", template: "/v1/definitions", headers: [.cacheControl: "no-cache"]
            )
            #expect(definitions.status == 502)
            let partialDefinitions = try await client.canonical("/v1/definitions", template: "/v1/definitions")
            #expect(partialDefinitions.status == 200)
            #expect(partialDefinitions.meta["partial"] as? Bool == true)
        }
    }

    @Test func whenEveryConnectionFailsTheFirstErrorIsTheAnswer() async throws {
        try await LiveStack.run { stack, client in
            stack.emulator("geotareas").faults.add(Fault(.error(status: 503, code: "INTERNAL_ERROR"), pathPrefix: "/apidev/v1/workflow"))
            stack.emulator("cloudflare").faults.add(Fault(.error(status: 500, code: "10001")))
            let page = try await client.canonical("/v1/instances?connection=geo&connection=cf", template: "/v1/instances")
            #expect(page.status >= 500)
            #expect(page.error?["connection"] as? String == "geo")
        }
    }

    @Test func askingOnlyConnectionsThatCannotListIsNotSupported() async throws {
        try await LiveStack.run { _, client in
            let page = try await client.canonical("/v1/instances?connection=wf", template: "/v1/instances")
            #expect(page.status == 501)
            #expect(page.error?["provider"] as? String == "workingflow")
        }
    }

    /// The upstream calls of a fan-out overlap: with every list delayed 3 s, all three upstreams have
    /// received their call well before the first delay is over — a sequential fan-out could not. Timed
    /// from the first arrival, so a slow start on a loaded machine does not count against it.
    @Test func connectionsAreAskedConcurrently() async throws {
        try await LiveStack.run(emulators: burstFriendlyEmulators()) { stack, client in
            // Geotareas logs in first; warm that up so only the list calls are timed.
            _ = try await client.canonical("/v1/instances?connection=geo&limit=1", template: "/v1/instances")
            let names = ["bitrix24", "geotareas", "cloudflare"]
            for (name, prefix) in zip(
                names, ["/v1/workflows", "/apidev/v1/workflow/instances", "/client/v4/accounts/\(LiveStack.Demo.cloudflareAccount)/workflows"])
            {
                stack.emulator(name).recorder.clear()
                stack.emulator(name).faults.add(Fault(.latency(.seconds(3)), pathPrefix: prefix, count: 1))
            }
            let listing = Task { try await client.canonical("/v1/instances?connection=b24&connection=geo&connection=cf", template: "/v1/instances") }
            @Sendable func reached() -> Int { names.filter { stack.emulator($0).recorder.count > 0 }.count }
            try await eventually(timeout: .seconds(20)) { reached() > 0 }
            let firstArrival = ContinuousClock.now
            try await eventually(timeout: .seconds(20)) { reached() == 3 }
            let spread = ContinuousClock.now - firstArrival
            #expect(spread < .milliseconds(2500), "all three upstreams were asked within the first 3 s delay (\(spread))")
            let page = try await listing.value
            #expect(page.status == 200)
        }
    }
}
