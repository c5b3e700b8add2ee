import FlowgateCore
import FlowgateProviders
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
            await a.block(BucketDraw(key: key, shape: .rate(size)), forSeconds: 600)
            guard case .reject(let retryAfter) = await b.reserve(key, size: size, maxWait: 2) else {
                Issue.record("B must honour the block A wrote")
                return
            }
            #expect(retryAfter > 500 && retryAfter <= 601)
        }
    }

    /// A window shared by two replicas: the limit goes at once whoever asks, then each freed slot, on the
    /// database's clock; a refusal takes nothing.
    @Test func oneWindowForEveryReplica() async throws {
        try await withClusterDatabases(2) { databases in
            let (a, b) = (PostgresRateLimitStore(database: databases[0]), PostgresRateLimitStore(database: databases[1]))
            let reads = BucketDraw(
                key: BucketKey(credential: ClusterTestEnvironment.unique("cred"), bucket: "reads"),
                shape: .window(WindowBucket.Size(limit: 3, window: 1000, margin: 0.1))
            )
            for store in [a, b, a] { #expect(await store.reserve([reads], maxWait: 0).decision == .admit(wait: 0)) }
            let refused = await b.reserve([reads], maxWait: 0)
            guard case .reject(let retryAfter) = refused.decision else {
                Issue.record("B must find the window A and B filled: \(refused)")
                return
            }
            #expect(retryAfter > 900 && retryAfter <= 1000.1, "the first slot frees one window + margin after it was taken")
            #expect(refused.used == [3])
            #expect(await a.usage([reads]).first?.used == 3, "the refusal took nothing")
            // Waiters on either replica are queued on one schedule: each takes the next slot.
            let waits = [await a.reserve([reads], maxWait: 2000), await b.reserve([reads], maxWait: 2000)].map(\.decision)
            guard case .admit(let first) = waits[0], case .admit(let second) = waits[1] else {
                Issue.record("both wait within 2000 s: \(waits)")
                return
            }
            #expect(abs(second - first) < 60, "the three calls went together, so their slots free together")
            let usage = await a.usage([reads]).first
            #expect(usage?.used == 3, "the window is full: one call in it, two waiting")
            #expect(abs((usage?.nextFree.timeIntervalSinceNow ?? 0) - 1000) < 60, "the next slot frees when the third call's does")
        }
    }

    /// A Bitrix24 call draws from its key's bucket and its portal's: it goes at the later slot and is
    /// recorded in both, atomically, whichever replica makes it.
    @Test func aCallThroughTwoBucketsGoesAtTheLaterSlotAndCountsInBoth() async throws {
        try await withClusterDatabases(2) { databases in
            let (a, b) = (PostgresRateLimitStore(database: databases[0]), PostgresRateLimitStore(database: databases[1]))
            let key = BucketDraw(
                key: BucketKey(credential: ClusterTestEnvironment.unique("key"), bucket: "default"),
                shape: .window(WindowBucket.Size(limit: 5, window: 1000, margin: 0))
            )
            let portal = BucketDraw(
                key: BucketKey(credential: ClusterTestEnvironment.unique("portal"), bucket: "portal"),
                shape: .window(WindowBucket.Size(limit: 2, window: 500, margin: 0))
            )
            // Another connection on the portal fills it.
            for _ in 0..<2 { #expect(await a.reserve([portal], maxWait: 0).decision == .admit(wait: 0)) }
            let refused = await b.reserve([key, portal], maxWait: 0)
            #expect(refused.binding == 1, "the portal held it back")
            #expect(await b.usage([key]).first?.used == 0, "a refusal takes nothing from the key's bucket")
            let waited = await b.reserve([key, portal], maxWait: 1000)
            guard case .admit(let wait) = waited.decision else {
                Issue.record("the call waits for the portal: \(waited)")
                return
            }
            #expect(wait > 400 && wait <= 500)
            #expect(waited.used == [1, 2])
            let keyUsage = await a.usage([key]).first
            #expect(keyUsage?.used == 1, "recorded in the key's bucket too")
            #expect(abs((keyUsage?.nextFree.timeIntervalSinceNow ?? 0)) < 5, "the key's bucket has room now")
        }
    }

    /// Three replicas, many callers at once, each fill's claim made with its reservation and every
    /// answer's budget reconciled as Geotareas reports it: the slots the fleet hands out never put more
    /// than the limit in a window, on the database's clock.
    @Test(.timeLimit(.minutes(2))) func aBusyFleetNeverHandsOutMoreThanTheWindow() async throws {
        try await withClusterDatabases(3) { databases in
            let stores = databases.map { PostgresRateLimitStore(database: $0) }
            let leases = databases.map { SharedResponseCache(database: $0, staleWindow: 0) }
            let reads = BucketDraw(
                key: BucketKey(credential: ClusterTestEnvironment.unique("cred"), bucket: "reads"),
                shape: .window(WindowBucket.Size(limit: 5, window: 2, margin: 0.05))
            )
            let started = Date()
            let slots = try await withThrowingTaskGroup(of: [Double].self) { group in
                for caller in 0..<30 {
                    group.addTask {
                        var admitted: [Double] = []
                        var index = 0
                        while Date().timeIntervalSince(started) < 8 {
                            index += 1
                            let replica = (caller + index) % 3
                            let claim = FleetClaim(
                                lease: leases[replica].lease(for: "k-\(caller)-\(index)-\(reads.key.credential)"), holdFor: 5, acceptsStored: false
                            )
                            let made = await stores[replica].reserve([reads], maxWait: 0.5, claiming: claim, breaker: "acme/geo")
                            guard let reservation = made.reservation, case .admit(let wait) = reservation.decision else {
                                try await Task.sleep(for: .milliseconds(20))
                                continue
                            }
                            try await Task.sleep(for: .seconds(wait))
                            // Some calls leave late (a busy gateway): their slots move to when they left.
                            let late = Double(index % 4) * 0.03
                            if late > 0 { await stores[replica].restamp([reads], slot: reservation.slot, lateBy: late) }
                            admitted.append(reservation.slot + late)
                            // The upstream's view after this call: what a sliding window of 2 s would report.
                            await stores[(replica + 1) % 3].reconcile(
                                reads, sentAt: reservation.slot, admission: reservation.admission, budget: UpstreamBudget(remaining: 0, resetIn: 2)
                            )
                        }
                        return admitted
                    }
                }
                return try await group.reduce(into: [Double]()) { $0 += $1 }
            }
            let times = slots.sorted().map { Date(timeIntervalSince1970: $0) }
            let busiest = WindowBucketPropertyTests.busiest(times, within: 2)
            #expect(busiest <= 5, "\(busiest) slots within 2 s; \(times.count) in all")
            #expect(times.count >= 5, "the fleet kept using the window: \(times.count)")
        }
    }

    /// A call that left late moves its slot in the shared window: every replica then counts the window
    /// from when it really left.
    @Test func aLateCallsSlotMovesForTheFleet() async throws {
        try await withClusterDatabases(2) { databases in
            let (a, b) = (PostgresRateLimitStore(database: databases[0]), PostgresRateLimitStore(database: databases[1]))
            let reads = BucketDraw(
                key: BucketKey(credential: ClusterTestEnvironment.unique("cred"), bucket: "reads"),
                shape: .window(WindowBucket.Size(limit: 1, window: 100, margin: 0))
            )
            let sent = await a.reserve([reads], maxWait: 0)
            await a.restamp([reads], slot: sent.slot, lateBy: 30)
            await databases[0].settled()
            guard case .reject(let retryAfter) = await b.reserve([reads], maxWait: 0).decision else {
                Issue.record("the window is full")
                return
            }
            #expect(retryAfter > 125 && retryAfter <= 130, "100 s from when the call left, 30 s after its slot")
        }
    }

    /// An upstream that says less remains is believed for the whole fleet; so is a 429.
    @Test func anUpstreamsWordOnTheBudgetHoldsForEveryReplica() async throws {
        try await withClusterDatabases(2) { databases in
            let (a, b) = (PostgresRateLimitStore(database: databases[0]), PostgresRateLimitStore(database: databases[1]))
            let reads = BucketDraw(
                key: BucketKey(credential: ClusterTestEnvironment.unique("cred"), bucket: "reads"),
                shape: .window(WindowBucket.Size(limit: 30, window: 60, margin: 0.1))
            )
            let sent = await a.reserve([reads], maxWait: 0)
            await a.reconcile(reads, sentAt: sent.slot, admission: sent.admission, budget: UpstreamBudget(remaining: 3, resetIn: 45))
            await databases[0].settled()
            // A second answer about the same reset that agrees with the first takes nothing more.
            let next = await b.reserve([reads], maxWait: 0)
            #expect(next.decision == .admit(wait: 0))
            await b.reconcile(reads, sentAt: next.slot, admission: next.admission, budget: UpstreamBudget(remaining: 2, resetIn: 45))
            await databases[1].settled()
            for _ in 0..<2 { #expect(await b.reserve([reads], maxWait: 0).decision == .admit(wait: 0)) }
            guard case .reject(let retryAfter) = await b.reserve([reads], maxWait: 0).decision else {
                Issue.record("B must believe what Geotareas told A")
                return
            }
            #expect(retryAfter > 35 && retryAfter <= 45)

            let other = BucketDraw(key: BucketKey(credential: ClusterTestEnvironment.unique("cred"), bucket: "reads"), shape: reads.shape)
            await a.block(other, forSeconds: 300)
            guard case .reject(let blocked) = await b.reserve([other], maxWait: 0).decision else {
                Issue.record("B must honour the 429 A received")
                return
            }
            #expect(blocked > 290 && blocked <= 300)
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
            await a.put(key, Self.answer(tag), ifUnchangedSince: await a.generation(), releasing: nil)
            await databases[0].settled()
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
            await b.put(key, Self.answer(tag), ifUnchangedSince: started, releasing: nil)
            await databases[1].settled()
            #expect(await a.get(key) == nil, "the fill began before the write: its answer is not shared")
        }
    }

    @Test func concurrentMissesOnTwoReplicasCallUpstreamOnce() async throws {
        try await withClusterDatabases(2) { databases in
            let stores = databases.map { Self.tiered($0) }
            let caches = stores.map { store in
                ResponseCache(
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
                            // What the fill's first upstream read does with its reservation: claim the key.
                            if let claim = FleetClaim.current, await claim.mustMake() { claim.resolve(await stores[index % 2].shared.claim(claim)) }
                            try FleetClaim.current?.checkNotYielded()
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
            #expect(
                await Self.eventually {
                    _ = await store.reserve(key, size: size, maxWait: 0); return database.isDegraded
                })
            #expect(Self.exposition(metrics).contains("flowgate_store_degraded 1"))
            // Counted against whichever operation met the broken connection first (a reservation, or the
            // replica's own heartbeat or sweep); operations skipped while degraded are not counted.
            #expect(Self.exposition(metrics).contains("flowgate_store_failures_total{operation="))

            let back = try TCPRelay(port: relayPort, target: real.port)
            defer { back.stop() }
            #expect(
                await Self.eventually(within: 15) {
                    _ = await store.reserve(key, size: size, maxWait: 0); return !database.isDegraded
                })
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
    func append(_ piece: ByteBuffer) {
        buffer.withLock {
            var piece = piece; $0.writeBuffer(&piece)
        }
    }

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
