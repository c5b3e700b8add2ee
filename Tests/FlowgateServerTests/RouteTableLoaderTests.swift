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
            routes:
              list_instances: {method: FETCH, path: "apidev/x", bucket: nope, cache_ttl_s: -1}
            """
        #expect {
            _ = try RouteTableLoader.parse(Data(yaml.utf8), kind: .geotareas)
        } throws: { error in
            let problems = (error as? RouteTableLoader.Problem)?.problems.joined(separator: "\n") ?? ""
            return ["method", "must start with /", "cache_ttl_s", "buckets.reads", "'nope' is not a bucket"].allSatisfy(problems.contains)
        }
    }

    /// Geotareas' sliding windows (30 reads and 10 writes a minute, 5 logins in 30 s) hold only if a
    /// full bucket plus a window's refill fits in the window's budget.
    @Test func geotareasBucketsKeepTheUpstreamWindowsHonest() throws {
        let table = try #require(try RouteTableLoader.loadAll()[.geotareas])
        for (bucket, budget, window) in [("reads", 30.0, 60.0), ("writes", 10.0, 60.0), ("login", 5.0, 30.0)] {
            let size = try #require(table.buckets[bucket])
            #expect(Double(size.burst) + size.ratePerSecond * window <= budget, "\(bucket)")
        }
    }
}
