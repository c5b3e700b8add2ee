import Foundation
import Hummingbird
import NIOCore
import PostgresNIO
import Synchronization
import Testing

@testable import FlowgateServer

/// The PostgreSQL stores as several replicas see them: each test holds two or three
/// ``ClusterDatabase``s (what two or three gateway processes would) on one real PostgreSQL.
@Suite(.enabled(if: ClusterTestEnvironment.available, "needs FLOWGATE_TEST_POSTGRES (.ci/run starts PostgreSQL)"))
struct SharedStoreTests {
    @Test func replicasStartingTogetherMigrateTheSchemaOnce() async throws {
        // Three replicas start at once; each migrates under the advisory lock.
        try await withClusterDatabases(3) { databases in
            for database in databases {
                let versions = await database.perform("test") { client in
                    var versions: [Int] = []
                    for try await version in try await client.query("SELECT version FROM flowgate_schema ORDER BY version").decode(Int.self) {
                        versions.append(version)
                    }
                    return versions
                }
                #expect(versions == ClusterSchema.migrations.map(\.version), "each migration recorded exactly once")
            }
        }
    }

    /// PostgresNIO's pool cannot finish a forced shutdown while a query it leased still waits on the
    /// server: replicas stopped while another holds the migration lock must still stop.
    @Test(.timeLimit(.minutes(1))) func replicasStoppedWhileMigratingStillStop() async throws {
        try await withClusterDatabases(3) { databases in
            _ = await databases[0].perform("test") { client in try await client.execute("SELECT 1") }
        }
    }

    @Test func oneBucketScheduleForEveryReplica() async throws {
        try await withClusterDatabases(2) { databases in
            let (a, b) = (PostgresRateLimitStore(database: databases[0]), PostgresRateLimitStore(database: databases[1]))
            let key = BucketKey(credential: ClusterTestEnvironment.unique("cred"), bucket: "reads")
            // One token per 1000 s: however many seconds a loaded machine puts between these calls,
            // the schedule they see is the same.
            let size = TokenBucket.Size(ratePerSecond: 0.001, burst: 3)
            // The burst of 3 is shared: A takes two, B one, then both are out.
            #expect(await a.reserve(key, size: size, maxWait: 0) == .admit(wait: 0))
            #expect(await b.reserve(key, size: size, maxWait: 0) == .admit(wait: 0))
            #expect(await a.reserve(key, size: size, maxWait: 0) == .admit(wait: 0))
            guard case .reject(let retryAfter) = await b.reserve(key, size: size, maxWait: 0) else {
                Issue.record("B must find the bucket A and B emptied")
                return
            }
            #expect(retryAfter > 900 && retryAfter <= 1000, "the next slot is one interval (1000 s) after the burst")
            // Waiting callers are queued on one schedule, an interval apart, whichever replica asks.
            let waits = [await a.reserve(key, size: size, maxWait: 3000), await b.reserve(key, size: size, maxWait: 3000)]
            guard case .admit(let first) = waits[0], case .admit(let second) = waits[1] else {
                Issue.record("both wait within 3000 s: \(waits)")
                return
            }
            #expect(abs((second - first) - 1000) < 100, "queued one interval apart")
        }
    }

    @Test func oneUpstreamBlockStopsEveryReplica() async throws {
        try await withClusterDatabases(2) { databases in
            let (a, b) = (PostgresRateLimitStore(database: databases[0]), PostgresRateLimitStore(database: databases[1]))
            let key = BucketKey(credential: ClusterTestEnvironment.unique("cred"), bucket: "default")
            let size = TokenBucket.Size(ratePerSecond: 100, burst: 100)
            await a.block(key, size: size, until: Date().addingTimeInterval(600))
            guard case .reject(let retryAfter) = await b.reserve(key, size: size, maxWait: 2) else {
                Issue.record("B must honour the block A wrote")
                return
            }
            #expect(retryAfter > 500 && retryAfter <= 601)
        }
    }

    @Test func aCircuitOpenedByFailuresOnTwoReplicasIsOpenForAll() async throws {
        try await withClusterDatabases(2) { databases in
            let (a, b) = (PostgresBreakerStore(database: databases[0]), PostgresBreakerStore(database: databases[1]))
            let connection = ClusterTestEnvironment.unique("acme/geo")
            let settings = CircuitBreaker.Settings(failureThreshold: 3, cooldown: 30)
            #expect(await a.acquire(connection, settings: settings) == .allowed(isProbe: false))
            await a.record(connection, settings: settings, success: false, isProbe: false)
            await b.record(connection, settings: settings, success: false, isProbe: false)
            #expect(await b.circuit(connection) == .closed)
            await a.record(connection, settings: settings, success: false, isProbe: false)
            #expect(await b.circuit(connection) == .open)
            guard case .refused(let retryAfter) = await b.acquire(connection, settings: settings) else {
                Issue.record("B must fail fast once A's failures opened the circuit")
                return
            }
            #expect(retryAfter > 25)
        }
    }

    @Test func anIdempotencyKeyIsRecognisedOnAnotherReplica() async throws {
        try await withClusterDatabases(2) { databases in
            let a = PostgresIdempotencyStore(database: databases[0], lease: 60, pollInterval: .milliseconds(20))
            let b = PostgresIdempotencyStore(database: databases[1], lease: 60, pollInterval: .milliseconds(20))
            let scope = IdempotencyScope(tenant: "acme", key: ClusterTestEnvironment.unique("start"))
            #expect(await a.begin(scope, fingerprint: "f1") == .proceed)
            #expect(await b.begin(scope, fingerprint: "f2") == .conflict, "same key, other request")
            // A duplicate on B waits while A runs, then replays A's answer.
            async let duplicate = b.begin(scope, fingerprint: "f1")
            try await Task.sleep(for: .milliseconds(200))
            await a.complete(scope, fingerprint: "f1", response: StoredResponse(status: 201, body: Array(#"{"id":"x"}"#.utf8)))
            #expect(await duplicate == .replay(StoredResponse(status: 201, body: Array(#"{"id":"x"}"#.utf8))))
        }
    }

    @Test func aReleasedKeyIsFreeOnEveryReplica() async throws {
        try await withClusterDatabases(2) { databases in
            let a = PostgresIdempotencyStore(database: databases[0], lease: 60)
            let b = PostgresIdempotencyStore(database: databases[1], lease: 60)
            let scope = IdempotencyScope(tenant: "acme", key: ClusterTestEnvironment.unique("start"))
            #expect(await a.begin(scope, fingerprint: "f1") == .proceed)
            await a.release(scope, fingerprint: "f1")
            #expect(await b.begin(scope, fingerprint: "f1") == .proceed)
        }
    }

    @Test func oneReplicasAnswerServesAnotherAndItsInvalidationReachesIt() async throws {
        try await withClusterDatabases(2) { databases in
            let (a, b) = (Self.tiered(databases[0]), Self.tiered(databases[1]))
            let key = ClusterTestEnvironment.unique("acme|/v1/instances/geo:1")
            let tag = ClusterTestEnvironment.unique("instance:acme/geo:1")
            try await Self.waitUntilListening(databases)
            await a.put(key, Self.answer(tag), ifUnchangedSince: await a.generation())
            let found = await b.get(key)
            #expect(found?.body == ByteBuffer(string: #"{"data":1}"#))
            #expect(b.near.get(key) != nil, "B keeps what it read in its memory")
            await a.invalidate(tags: [tag])
            #expect(await Self.eventually { b.near.get(key) == nil }, "A's invalidation reaches B's memory through NOTIFY")
            #expect(await b.get(key) == nil)
        }
    }

    @Test func aFillThatRacedAWriteIsNeverServed() async throws {
        try await withClusterDatabases(2) { databases in
            let (a, b) = (Self.tiered(databases[0]), Self.tiered(databases[1]))
            let key = ClusterTestEnvironment.unique("acme|/v1/instances")
            let tag = ClusterTestEnvironment.unique("lists:acme/geo")
            let started = await b.generation()
            await a.invalidate(tags: [tag])
            await b.put(key, Self.answer(tag), ifUnchangedSince: started)
            #expect(await a.get(key) == nil, "the fill began before the write: its answer is not shared")
        }
    }

    @Test func concurrentMissesOnTwoReplicasCallUpstreamOnce() async throws {
        try await withClusterDatabases(2) { databases in
            let caches = databases.map { database in
                let store = Self.tiered(database)
                return ResponseCache(
                    store: store, staleWhileRevalidate: 0, staleIfError: 0, metrics: GatewayMetrics(),
                    fleet: FleetFill(leases: store.shared, store: store, budget: 5)
                )
            }
            let lookup = ResponseCache.Lookup(key: ClusterTestEnvironment.unique("acme|/v1/definitions"), ttl: 30, tags: [], bypass: false)
            let calls = EvictionCounter()
            let bodies = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        let response = try await caches[index % 2].serve(lookup) {
                            calls.add(1)
                            try await Task.sleep(for: .milliseconds(300))
                            return CanonicalAnswer(status: .ok, contentType: "application/json", body: ByteBuffer(string: #"{"n":1}"#))
                        }
                        return try await BodySink.text(of: response)
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(calls.total == 1, "one upstream call for both replicas")
            #expect(bodies.count == 40 && Set(bodies) == [#"{"n":1}"#])
        }
    }

    /// The database goes away (its connections break, new ones are refused) and comes back: the
    /// store keeps answering from local state meanwhile, says so, and reconnects by itself.
    @Test(.timeLimit(.minutes(2))) func aLostDatabaseDegradesToLocalStateAndRecoversByItself() async throws {
        let real = try ClusterTestEnvironment.settings()
        let relayPort = try ClusterFleet.freePort()
        var settings = try ClusterTestEnvironment.settings(timeout: .seconds(2))
        settings.host = "127.0.0.1"
        settings.port = relayPort
        let lost = try TCPRelay(port: relayPort, target: real.port)
        let metrics = GatewayMetrics()
        try await withClusterDatabase(settings, metrics: metrics) { database in
            let store = PostgresRateLimitStore(database: database)
            let key = BucketKey(credential: ClusterTestEnvironment.unique("cred"), bucket: "reads")
            let size = TokenBucket.Size(ratePerSecond: 0.1, burst: 2)
            #expect(await store.reserve(key, size: size, maxWait: 0) == .admit(wait: 0))
            #expect(!database.isDegraded)

            lost.stop()
            // Answers keep coming — from this replica's share of the bucket — and the loss is reported.
            _ = await store.reserve(key, size: size, maxWait: 0)
            #expect(await Self.eventually { _ = await store.reserve(key, size: size, maxWait: 0); return database.isDegraded })
            #expect(Self.exposition(metrics).contains("flowgate_store_degraded 1"))
            #expect(Self.exposition(metrics).contains("flowgate_store_failures_total{operation=\"bucket_reserve\"}"))

            let back = try TCPRelay(port: relayPort, target: real.port)
            defer { back.stop() }
            #expect(await Self.eventually(within: 15) { _ = await store.reserve(key, size: size, maxWait: 0); return !database.isDegraded })
            #expect(Self.exposition(metrics).contains("flowgate_store_degraded 0"))
        }
    }

    // MARK: - Helpers

    static func exposition(_ metrics: GatewayMetrics) -> String {
        String(decoding: metrics.exposition(), as: UTF8.self)
    }

    static func tiered(_ database: ClusterDatabase) -> TieredResponseCache {
        TieredResponseCache(near: MemoryResponseCache(maxBytes: 1 << 20), shared: SharedResponseCache(database: database, staleWindow: 60))
    }

    static func answer(_ tag: String) -> CachedAnswer {
        CachedAnswer(status: 200, contentType: "application/json", body: ByteBuffer(string: #"{"data":1}"#), storedAt: Date(), ttl: 60, tags: [tag])
    }

    /// NOTIFY reaches only listeners already listening: wait until each replica's listener is up.
    static func waitUntilListening(_ databases: [ClusterDatabase]) async throws {
        let names = databases.map(\.applicationName)
        let ready = await eventually {
            let listeners = await databases[0].perform("test") { client in
                var count = 0
                for try await value in try await client.query(
                    """
                    SELECT count(*)::int FROM pg_stat_activity
                    WHERE application_name = ANY (\(names)) AND query LIKE 'LISTEN%flowgate_cache_invalidations%'
                    """
                ).decode(Int.self) {
                    count = value
                }
                return count
            }
            return (listeners ?? 0) >= names.count
        }
        #expect(ready, "every replica listens for invalidations")
    }

    static func eventually(within seconds: Double = 5, _ condition: @Sendable () async -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return await condition()
    }
}

/// Collects a response body.
final class BodySink: Sendable {
    private let buffer = Mutex(ByteBuffer())
    var text: String { buffer.withLock { String(buffer: $0) } }
    func append(_ piece: ByteBuffer) { buffer.withLock { var piece = piece; $0.writeBuffer(&piece) } }

    static func text(of response: Response) async throws -> String {
        let sink = BodySink()
        try await response.body.write(Writer(sink: sink))
        return sink.text
    }

    struct Writer: ResponseBodyWriter {
        let sink: BodySink
        mutating func write(_ piece: ByteBuffer) async throws { sink.append(piece) }
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
