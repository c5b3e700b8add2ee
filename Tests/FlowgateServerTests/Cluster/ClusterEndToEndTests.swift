import AsyncHTTPClient
import FlowgateEmulators
import Foundation
import HTTPTypes
import Synchronization
import Testing

/// Cluster mode as production runs it (docs/cluster.md): three gateway processes sharing one PostgreSQL,
/// behind nginx round-robin, in front of the Geotareas emulator — whose sliding windows are the
/// strictest of the four upstreams.
@Suite(.serialized, .enabled(if: ClusterTestEnvironment.available, "needs FLOWGATE_TEST_POSTGRES (.ci/run starts PostgreSQL)"))
struct ClusterEndToEndTests {
    /// 1000 callers ask the fleet for the same uncached list while Geotareas takes 500 ms: whichever
    /// replica nginx sends each to, one upstream read serves all of them.
    @Test func aThousandIdenticalMissesOverThreeReplicasMakeOneUpstreamCall() async throws {
        let emulator = GeotareasEmulator()
        try await LiveStack.withEmulator(emulator) { emulatorPort in
            emulator.faults.add(Fault(.latency(.milliseconds(500)), pathPrefix: Self.definitionsPath))
            try await ClusterFleet.run(config: { Self.config(port: $0, emulatorPort: emulatorPort, connection: "geocache") }) { fleet in
                let answers = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                    for _ in 0..<1000 {
                        group.addTask {
                            let (status, body, _) = try await fleet.get("/v1/definitions?connection=geocache")
                            return (status, body)
                        }
                    }
                    return try await group.reduce(into: [(Int, String)]()) { $0.append($1) }
                }
                #expect(answers.count == 1000)
                #expect(answers.allSatisfy { $0.0 == 200 }, "statuses: \(Set(answers.map(\.0)))")
                #expect(Set(answers.map(\.1)).count == 1, "every caller got the same answer")
                #expect(Self.reads(emulator, path: Self.definitionsPath).count == 1, "one upstream read for the whole fleet")
                for replica in 0..<3 {
                    #expect(try await fleet.requestsAnswered(byReplica: replica) > 0, "nginx spread the callers over every replica")
                }
            }
        }
    }

    /// Geotareas answers one 429 with Retry-After: 4 to one replica; until then no replica calls it.
    @Test func oneUpstream429StopsEveryReplicaForItsRetryAfter() async throws {
        let emulator = GeotareasEmulator()
        try await LiveStack.withEmulator(emulator) { emulatorPort in
            try await ClusterFleet.run(config: { Self.config(port: $0, emulatorPort: emulatorPort, connection: "geoblock") }) { fleet in
                // Log every replica in first, so later calls are reads only.
                for index in 0..<6 { _ = try await fleet.get("/v1/instances/geoblock:\(700_000 + index)") }
                emulator.faults.add(Fault(.error(status: 429, code: "RATE_LIMITED", retryAfter: 4), pathPrefix: Self.instancesPath, count: 1))
                let refused = try await fleet.get("/v1/instances/geoblock:800000")
                let blockedAt = Date()
                #expect(refused.status == 429)
                let readsBefore = Self.reads(emulator, path: Self.instancesPath).count
                // Callers spread round-robin over the replicas, until a caller could be queued (2 s of
                // allowed wait) for the first slot after the block: all refused locally.
                var local: [Int] = []
                var index = 0
                while Date().timeIntervalSince(blockedAt) < 1.5 {
                    index += 1
                    let answer = try await fleet.get("/v1/instances/geoblock:\(810_000 + index)")
                    local.append(answer.status)
                    #expect(answer.headers["retry-after"].flatMap(Int.init).map { $0 >= 1 && $0 <= 4 } == true)
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(local.count >= 5 && local.allSatisfy { $0 == 429 }, "every replica holds the block: \(local)")
                #expect(Self.reads(emulator, path: Self.instancesPath).count == readsBefore, "no upstream call from any replica")
                // After Retry-After the fleet calls Geotareas again.
                try await Task.sleep(until: .now + .seconds(max(0, 4.3 - Date().timeIntervalSince(blockedAt))))
                let after = try await fleet.get("/v1/instances/geoblock:900000")
                #expect(after.status == 404, "Geotareas answers again (no such instance)")
                let resumed = Self.reads(emulator, path: Self.instancesPath).filter { $0.receivedAt > blockedAt }
                #expect(resumed.count == 1)
                #expect(resumed.allSatisfy { $0.receivedAt.timeIntervalSince(blockedAt) >= 3.9 }, "nothing before Retry-After ran out")
            }
        }
    }

    /// 200 callers keep three replicas busy for 130 s against Geotareas' reads budget (30 per sliding
    /// 60 s): no 60 s window sees more than 30 reads, and the window bucket uses the whole budget — the
    /// first minute and a later one each hold (nearly) 30, where a token bucket sized to fit the window
    /// gave 20 a minute once its burst was spent.
    @Test func twoHundredCallersUseTheWholeFleetWideWindowAndNeverOverrunIt() async throws {
        let emulator = GeotareasEmulator()
        try await LiveStack.withEmulator(emulator) { emulatorPort in
            try await ClusterFleet.run(config: { Self.config(port: $0, emulatorPort: emulatorPort, connection: "geo") }) { fleet in
                let started = Date()
                let outcomes = try await withThrowingTaskGroup(of: [Int: Int].self) { group in
                    for caller in 0..<200 {
                        group.addTask {
                            var statuses: [Int: Int] = [:]
                            var index = 0
                            while Date().timeIntervalSince(started) < 130 {
                                index += 1
                                let answer = try await fleet.get("/v1/instances/geo:\(1_000_000 + caller * 10_000 + index)")
                                statuses[answer.status, default: 0] += 1
                                if answer.status == 429 {
                                    #expect(answer.body.contains(#""upstream":null"#), "refused by the gateway, not by Geotareas")
                                    // Back off like a polite client; 100 req/s still queue a caller for every slot.
                                    try await Task.sleep(for: .seconds(2))
                                }
                            }
                            return statuses
                        }
                    }
                    return try await group.reduce(into: [Int: Int]()) { total, statuses in total.merge(statuses, uniquingKeysWith: +) }
                }
                let times = Self.reads(emulator, path: Self.instancesPath).map(\.receivedAt).sorted()
                let busiest = Self.busiestWindow(times, seconds: 60)
                let first = times.first ?? started
                let minutes = (0..<2).map { minute in
                    times.filter { $0 >= first.addingTimeInterval(Double(minute) * 60) && $0 < first.addingTimeInterval(Double(minute + 1) * 60) }
                        .count
                }
                // How close calls 30 apart came to a window: what the margin had to absorb.
                let closest = (30..<max(30, times.count)).map { times[$0].timeIntervalSince(times[$0 - 30]) - 60 }.min() ?? .nan
                print(
                    "fleet-wide window: busiest 60 s held \(busiest) of 30; minutes from the first read \(minutes); \(times.count) reads; "
                        + "calls 30 apart at least 60 s + \(Int(closest * 1000)) ms apart; answers \(outcomes)"
                )
                #expect(busiest <= 30, "a 60 s window saw \(busiest) reads")
                #expect(minutes[0] >= 28, "the first minute used \(minutes[0]) of 30")
                #expect(minutes[1] >= 27, "the second minute used \(minutes[1]) of 30")
                #expect(outcomes[404, default: 0] == times.count, "every admitted call reached Geotareas once: \(outcomes)")
                #expect(outcomes.keys.allSatisfy { [404, 429].contains($0) }, "\(outcomes)")
                for replica in 0..<3 {
                    #expect(try await fleet.requestsAnswered(byReplica: replica) > 0)
                }
            }
        }
    }

    // MARK: - Helpers

    static let definitionsPath = "/apidev/v1/workflow/definitions"
    static let instancesPath = "/apidev/v1/workflow/instances"

    static func reads(_ emulator: GeotareasEmulator, path: String) -> [RecordedRequest] {
        emulator.recorder.all.filter { $0.method == .get && $0.path.hasPrefix(path) }
    }

    /// The most calls any `seconds`-long window (closed at both ends) holds.
    static func busiestWindow(_ times: [Date], seconds: TimeInterval) -> Int {
        var busiest = 0
        var start = 0
        for end in times.indices {
            while times[end].timeIntervalSince(times[start]) > seconds { start += 1 }
            busiest = max(busiest, end - start + 1)
        }
        return busiest
    }

    /// A tenant of its own per process run, so answers another run left in the shared cache (same
    /// paths, same key) are never this run's.
    static let tenant = "acme-" + UUID().uuidString.prefix(8).lowercased()

    static func config(port: Int, emulatorPort: Int, connection: String) -> String {
        """
        server:
          host: 127.0.0.1
          port: \(port)
          cursor_secret: fleet-test-cursor-secret-0123456789
          drain_timeout_s: 2
        store: \(ClusterTestEnvironment.fleetStoreURL)
        tenants:
          - name: \(tenant)
            keys:
              - {id: ci, hash: "\(ClusterFleet.keyHash)", scopes: [read, execute]}
            connections:
              - name: \(connection)
                provider: geotareas
                base_url: http://127.0.0.1:\(emulatorPort)
                tenant_host: demo.geotareas.com
                timezone: UTC
                credentials: {api_key: geo_demo_key, email: demo@flowgate.local, password: demo-password}
        """
    }
}

/// In CI (`FLOWGATE_CLUSTER_TESTS=1`) the cluster tests must run: a missing PostgreSQL or nginx is a
/// failure, not a quiet skip.
@Suite struct ClusterTestPrerequisites {
    @Test func clusterTestsRunWhereTheyAreRequired() throws {
        guard ClusterTestEnvironment.required else { return }
        #expect(ClusterTestEnvironment.available, "FLOWGATE_TEST_POSTGRES is not set")
        #expect(ClusterFleet.nginxBinary() != nil, "nginx is not installed")
        _ = try ClusterFleet.gatewayBinary()
    }
}
