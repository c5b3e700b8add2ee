import FlowgateCore
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The PostgreSQL connection a replica shares state through in cluster mode (docs/cluster.md).
///
/// Every store operation goes through ``perform(_:_:)``, which bounds it in time and, when the
/// database cannot be reached, answers nil at once so the caller uses the replica's local state
/// (``StoreHealth``); a log line and `flowgate_store_degraded` say so, and the first successful probe
/// reconnects. As a service it runs the connection pool, creates or migrates the schema at start,
/// listens for other replicas' cache invalidations and keeps the shared tables swept.
final class ClusterDatabase: Service, Sendable {
    let client: PostgresClient
    let settings: PostgresSettings
    /// This process in `flowgate_replicas`, in fill leases and as `application_name` of its sessions.
    let replicaID: String
    var applicationName: String { replicaID }
    private let logger: Logger
    private let metrics: GatewayMetrics
    private let health = Mutex(StoreHealth())
    private let schemaReady = Atomic<Bool>(false)
    private let replicas = Atomic<Int>(1)
    private let invalidationHandler = Mutex<InvalidationHandler?>(nil)
    private let behindQueue = AsyncStream.makeStream(of: BehindWrite.self, bufferingPolicy: .bufferingOldest(10_000))
    private let behindPending = Atomic<Int>(0)

    /// A store write nobody waits for.
    struct BehindWrite: Sendable {
        var operation: String
        var body: @Sendable (PostgresClient) async throws -> Void
    }

    /// Another replica's cache invalidation (tags), or `nil` tags when notifications may have been
    /// missed (the listener reconnected) and every local answer is suspect.
    typealias InvalidationHandler = @Sendable (_ tags: [String]?) -> Void

    static let invalidationChannel = "flowgate_cache_invalidations"

    init(settings: PostgresSettings, logger: Logger, metrics: GatewayMetrics) {
        var configuration = PostgresClient.Configuration(
            host: settings.host, port: settings.port, username: settings.username, password: settings.password?.value,
            database: settings.database, tls: Self.tls(settings.tls)
        )
        configuration.options.maximumConnections = settings.poolSize
        configuration.options.connectTimeout = .seconds(2)
        // No '/' in it: fill lease owners are "<replica>/<fill>" and the store splits them there.
        let host = ProcessInfo.processInfo.hostName.prefix(32).replacingOccurrences(of: "/", with: "-")
        let replicaID = "\(host)-\(ProcessInfo.processInfo.processIdentifier)-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
        // Names this replica's sessions in pg_stat_activity, for operators (and tests).
        configuration.options.additionalStartupParameters = [("application_name", replicaID)]
        var backgroundLogger = logger
        backgroundLogger[metadataKey: "component"] = "store"
        self.client = PostgresClient(configuration: configuration, backgroundLogger: backgroundLogger)
        self.settings = settings
        self.replicaID = replicaID
        self.logger = backgroundLogger
        self.metrics = metrics
        metrics.setStoreDegraded(false)
    }

    /// Replicas alive in the fleet (this one included), as last seen; used to split an upstream budget
    /// between replicas while the shared store is unreachable.
    var fleetSize: Int { max(1, replicas.load(ordering: .relaxed)) }

    var isDegraded: Bool { health.withLock { $0.isDegraded } }

    func onInvalidation(_ handler: @escaping InvalidationHandler) {
        invalidationHandler.withLock { $0 = handler }
    }

    /// Runs one store operation against the database within the configured time, or answers nil
    /// (database unreachable, failed or too slow) for the caller to use local state.
    func perform<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (PostgresClient) async throws -> T) async -> T? {
        guard health.withLock({ $0.shouldTry(now: Date()) }) else { return nil }
        do {
            if !schemaReady.load(ordering: .acquiring) { try await migrate() }
            let client = self.client
            let value = try await Self.within(settings.operationTimeout) { try await body(client) }
            if let transition = health.withLock({ $0.succeeded(now: Date()) }) { report(transition, error: nil) }
            return value
        } catch {
            // A caller that went away is not a database problem.
            if Task.isCancelled { return nil }
            metrics.recordStoreFailure(operation: operation)
            if let transition = health.withLock({ $0.failed(now: Date()) }) { report(transition, error: error) }
            return nil
        }
    }

    func run() async throws {
        await cancelWhenGracefulShutdown { await self.runUntilCancelled() }
    }

    /// The pool, the schema, the listener and the upkeep, until the task is cancelled.
    ///
    /// The pool stops last, once nothing holds one of its connections: PostgresNIO's pool does not
    /// finish a forced shutdown while a query it leased is still waiting on the server (a migration
    /// queued on the advisory lock, say), so its run is shielded from cancellation until then.
    func runUntilCancelled() async {
        let pool = Task { await client.run() }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.prepareSchema() }
            group.addTask { await self.listenForInvalidations() }
            group.addTask { await self.maintain() }
            group.addTask { await self.writeBehind() }
            await group.waitForAll()
        }
        pool.cancel()
        await pool.value
    }

    /// Runs a store write behind the caller that made it: an answer's shared copy and its fill lease's
    /// release, which only other replicas wait for, need not hold up this replica's answer. At most
    /// 10 000 wait; past that a write is dropped and counted as failed (a lease expires by itself, a
    /// missing shared copy is a miss elsewhere). Writes still queued when the replica stops are dropped.
    func behind(_ operation: String, _ body: @escaping @Sendable (PostgresClient) async throws -> Void) {
        behindPending.add(1, ordering: .relaxed)
        if case .dropped = behindQueue.continuation.yield(BehindWrite(operation: operation, body: body)) {
            behindPending.subtract(1, ordering: .relaxed)
            metrics.recordStoreFailure(operation: operation)
        }
    }

    /// Waits, at most `limit`, until every write queued behind has run (tests; a replica stopping).
    func settled(within limit: Duration = .seconds(5)) async {
        let end = ContinuousClock.now + limit
        while behindPending.load(ordering: .relaxed) > 0, ContinuousClock.now < end {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// The writes queued by ``behind(_:_:)``, a few at a time (half the pool, so callers' own
    /// operations always find connections).
    private func writeBehind() async {
        let concurrency = max(1, settings.poolSize / 2)
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            for await write in behindQueue.stream {
                if running >= concurrency {
                    await group.next()
                    running -= 1
                }
                group.addTask {
                    _ = await self.perform(write.operation, write.body)
                    self.behindPending.subtract(1, ordering: .relaxed)
                }
                running += 1
            }
        }
    }

    // MARK: - Start-up, listening, upkeep

    /// Creates or migrates the schema at start; retried until the database answers, while requests
    /// are served from local state.
    private func prepareSchema() async {
        while !Task.isCancelled, !schemaReady.load(ordering: .acquiring) {
            if await perform("migrate", { _ in }) != nil { return }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    private func migrate() async throws {
        let logger = self.logger
        try await Self.within(.seconds(30)) { [client] in
            try await client.withTransaction(logger: logger) { connection in
                try await ClusterSchema.migrate(connection, logger: logger)
            }
        }
        if !schemaReady.exchange(true, ordering: .acquiringAndReleasing) {
            logger.info("shared store ready", metadata: ["store": "\(settings.redacted)", "schema": "\(ClusterSchema.version)"])
        }
    }

    private func listenForInvalidations() async {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.invalidationChannel) { notifications in
                        // Whatever was invalidated while nobody listened is unknown: drop every local answer.
                        self.invalidationHandler.withLock { $0 }?(nil)
                        for try await notification in notifications {
                            let tags = notification.payload.split(separator: "\n").map(String.init)
                            self.invalidationHandler.withLock { $0 }?(tags)
                        }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.debug("invalidation listener reconnecting", metadata: ["error": "\(Self.describe(error))"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// Heartbeat every 5 s (so replicas know the fleet's size), sweep expired rows every 30 s.
    private func maintain() async {
        var beats = 0
        while !Task.isCancelled {
            let id = replicaID
            if let alive = await perform("heartbeat", { try await ClusterSchema.heartbeat($0, replica: id) }) {
                replicas.store(alive, ordering: .relaxed)
                metrics.setFleetSize(alive)
            }
            if beats % 6 == 0 { _ = await perform("sweep", { try await ClusterSchema.sweep($0) }) }
            beats += 1
            try? await Task.sleep(for: .seconds(5))
        }
    }

    // MARK: - Helpers

    private func report(_ transition: StoreHealth.Transition, error: (any Error)?) {
        switch transition {
        case .lost:
            metrics.setStoreDegraded(true)
            logger.error(
                "shared store unreachable: using this replica's local state until it answers again",
                metadata: ["store": "\(settings.redacted)", "error": "\(error.map(Self.describe) ?? "unknown")"]
            )
        case .recovered(let after):
            metrics.setStoreDegraded(false)
            logger.notice("shared store reachable again", metadata: ["store": "\(settings.redacted)", "after_s": "\(Int(after.rounded()))"])
        }
    }

    /// PSQLError hides its details from `description` on purpose; the server's own message is safe
    /// to log (it never carries the connection's password).
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            let message = error.serverInfo?[.message].map { ": \($0)" } ?? ""
            return "\(error.code)\(message)"
        }
        return "\(error)"
    }

    private static func tls(_ mode: PostgresSettings.TLSMode) -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
    }

    struct Timeout: Error, CustomStringConvertible {
        var description: String { "the store did not answer in time" }
    }

    /// `body`'s result, or ``Timeout`` once `limit` has passed — then at once, without waiting for the
    /// body: a PostgresNIO query is not cancellable, and a task group would wait for it. The body
    /// finishes on its own (or fails with its connection). The timer is an event-loop task rather
    /// than a second Swift task: this runs once per store operation.
    static func within<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let outcome = Once<Result<T, any Error>>()
        return try await withCheckedThrowingContinuation { continuation in
            outcome.onFirst { continuation.resume(with: $0) }
            let timer = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: .nanoseconds(limit.nanoseconds)) {
                outcome.complete(.failure(Timeout()))
            }
            Task {
                let result: Result<T, any Error>
                do { result = .success(try await body()) } catch { result = .failure(error) }
                timer.cancel()
                outcome.complete(result)
            }
        }
    }
}

/// A value delivered once, by whichever of several racers comes first.
private final class Once<Value: Sendable>: Sendable {
    private let state = Mutex<(handler: (@Sendable (Value) -> Void)?, done: Bool)>((nil, false))

    func onFirst(_ handler: @escaping @Sendable (Value) -> Void) {
        state.withLock { $0.handler = handler }
    }

    func complete(_ value: Value) {
        let handler: (@Sendable (Value) -> Void)? = state.withLock { state in
            guard !state.done else { return nil }
            state.done = true
            return state.handler
        }
        handler?(value)
    }

}
