import FlowgateCore
import FlowgateProviders
import Foundation
import Testing

@testable import FlowgateServer

@Suite struct RouteTableLoaderTests {
    @Test func theShippedTablesLoadAndNameTheProfilesBuckets() throws {
        let tables = try RouteTableLoader.loadAll()
        for kind in ProviderKind.allCases {
            let table = try #require(tables[kind])
            #expect(Set(table.buckets.keys) == ProviderProfile.of(kind).buckets, "config's limits: names are the table's buckets")
        }
    }

    @Test func aBrokenTableReportsEveryProblem() {
        let yaml = """
            provider: geotareas
            buckets:
              reads: {rate_per_s: 0, burst: 0}
              writes: {window: {limit: 0, seconds: 60}}
              login: {window: {limit: 5, seconds: 30}, keyed_by: planet}
              other: {window: {limit: 5, seconds: 30}, rate_per_s: 1, burst: 1}
            routes:
              list_instances: {method: FETCH, path: "apidev/x", bucket: nope, cache_ttl_s: -1}
              get_instance: {method: GET, path: "/apidev/x/{id}", bucket: reads, buckets: [reads]}
            """
        #expect {
            _ = try RouteTableLoader.parse(Data(yaml.utf8), kind: .geotareas)
        } throws: { error in
            let problems = (error as? RouteTableLoader.Problem)?.problems.joined(separator: "\n") ?? ""
            return [
                "method", "must start with /", "cache_ttl_s", "buckets.reads: rate_per_s must be", "buckets.writes: window.limit must be",
                "buckets.login: keyed_by must be", "buckets.other: either", "'nope' is not a bucket", "routes.get_instance: name its bucket",
            ].allSatisfy(problems.contains)
        }
    }

    /// The upstreams' documented windows, kept as windows: Geotareas 30 reads and 10 writes a minute
    /// and 5 logins in 30 s per key, Cloudflare 1200 per 5 minutes per token, Bitrix24 300 a minute per
    /// key and about 10 a second per portal (every Bitrix24 call draws from both).
    @Test func theShippedBucketsAreTheUpstreamsWindows() throws {
        let tables = try RouteTableLoader.loadAll()
        let expected: [(ProviderKind, String, Int, Double, BucketSpec.Scope)] = [
            (.geotareas, "reads", 30, 60, .credential), (.geotareas, "writes", 10, 60, .credential), (.geotareas, "login", 5, 30, .credential),
            (.cloudflare, "default", 1200, 300, .credential), (.bitrix24, "default", 300, 60, .credential), (.bitrix24, "portal", 10, 1, .portal),
        ]
        for (provider, bucket, limit, seconds, scope) in expected {
            #expect(tables[provider]?.buckets[bucket] == BucketSpec(.window(limit: limit, seconds: seconds), keyedBy: scope), "\(provider)/\(bucket)")
        }
        for (name, route) in try #require(tables[.bitrix24]).routes {
            #expect(route.buckets == ["default", "portal"], "\(name) draws from the key's and the portal's budget")
        }
        #expect(tables[.workingflow]?.buckets["default"]?.shape == .rate(perSecond: 5, burst: 10), "no documented limit: a polite rate")
    }
}
