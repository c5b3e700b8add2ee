import FlowgateCore
import Foundation
import PostgresNIO
import Synchronization

/// Circuit breakers shared by the fleet: the same pure ``CircuitBreaker`` runs on the row each
/// replica reads, and a change is written back only if nobody changed the row meanwhile (a version
/// check; the loser reads again). While the database is unreachable each replica keeps its own breaker.
///
/// A healthy connection costs no round trip per call: a shared state read as closed without failures
/// is trusted for `freshness` (1 s), during which calls pass and successes change nothing. Failures
/// always go to the database, so another replica's failures open the circuit here within `freshness`.
final class PostgresBreakerStore: BreakerStore {
    private let database: ClusterDatabase
    private let local = MemoryBreakerStore()
    /// The shared state as last read or written, per connection.
    private let seen = Mutex<[String: (state: CircuitBreaker.State, at: Date)]>([:])
    private let freshness: TimeInterval
    /// Tries before a contended update falls back to the local breaker.
    private static let attempts = 4

    init(database: ClusterDatabase, freshness: TimeInterval = 1) {
        self.database = database
        self.freshness = freshness
    }

    func acquire(_ connection: String, settings: CircuitBreaker.Settings) async -> CircuitBreaker.Permit {
        if recentlyHealthy(connection) { return .allowed(isProbe: false) }
        let shared = await update(connection, settings: settings, operation: "breaker_acquire") { breaker, now in breaker.acquire(now: now) }
        return shared ?? local.acquire(connection, settings: settings)
    }

    func record(_ connection: String, settings: CircuitBreaker.Settings, success: Bool, isProbe: Bool) async {
        local.record(connection, settings: settings, success: success, isProbe: isProbe)
        if success, !isProbe, recentlyHealthy(connection) { return }
        _ = await update(connection, settings: settings, operation: "breaker_record") { breaker, now in
            breaker.record(success: success, isProbe: isProbe, now: now)
        }
    }

    func circuit(_ connection: String) async -> ConnectionInfo.CircuitState {
        let now = Date()
        if recentlyHealthy(connection) { return .closed }
        let shared = await database.perform("breaker_read") { client in
            try await Self.read(connection, client: client)?.breaker(settings: CircuitBreaker.Settings()).state ?? .closed(failures: 0)
        }
        guard let shared else { return local.circuit(connection) }
        remember(connection, shared, at: now)
        return CircuitBreaker(settings: CircuitBreaker.Settings(), state: shared).circuit
    }

    /// A breaker row read by another store operation (a fill's claim reads it with its reservation):
    /// `{state: 0 closed, 1 open, 2 half open; failures; instant; version}`. Remembered as a fresh read.
    func learn(_ connection: String, row: [Double]) {
        guard row.count == 4 else { return }
        let name = row[0] == 1 ? "open" : row[0] == 2 ? "half_open" : "closed"
        let stored = Row(state: name, failures: Int(row[1]), at: row[2], version: Int64(row[3]))
        remember(connection, stored.breaker(settings: CircuitBreaker.Settings()).state, at: Date())
    }

    /// Whether the shared state was closed without failures when last seen, less than `freshness` ago.
    private func recentlyHealthy(_ connection: String) -> Bool {
        guard let seen = seen.withLock({ $0[connection] }), Date().timeIntervalSince(seen.at) < freshness else { return false }
        return seen.state == .closed(failures: 0)
    }

    private func remember(_ connection: String, _ state: CircuitBreaker.State, at: Date) {
        seen.withLock { $0[connection] = (state, at) }
    }

    /// Applies `change` to the shared breaker; nil when the database could not be used.
    private func update<T: Sendable>(
        _ connection: String, settings: CircuitBreaker.Settings, operation: String,
        _ change: @escaping @Sendable (inout CircuitBreaker, Date) -> T
    ) async -> T? {
        let outcome = await database.perform(operation) { client in
            for _ in 0..<Self.attempts {
                let row = try await Self.read(connection, client: client)
                var breaker = row?.breaker(settings: settings) ?? CircuitBreaker(settings: settings)
                let before = breaker.state
                let result = change(&breaker, Date())
                if breaker.state == before { return (result, breaker.state) }
                if try await Self.write(connection, breaker.state, expecting: row?.version, client: client) { return (result, breaker.state) }
            }
            throw Contended()
        }
        guard let outcome else { return nil }
        remember(connection, outcome.1, at: Date())
        return outcome.0
    }

    private struct Contended: Error {}

    /// A breaker as stored: state name, failure count, the instant that state refers to, a version.
    private struct Row {
        var state: String
        var failures: Int
        var at: Double
        var version: Int64

        func breaker(settings: CircuitBreaker.Settings) -> CircuitBreaker {
            let instant = Date(timeIntervalSince1970: at)
            switch state {
            case "open": return CircuitBreaker(settings: settings, state: .open(until: instant))
            case "half_open": return CircuitBreaker(settings: settings, state: .halfOpen(probeSince: instant))
            default: return CircuitBreaker(settings: settings, state: .closed(failures: failures))
            }
        }
    }

    private static func read(_ connection: String, client: PostgresClient) async throws -> Row? {
        let row = try await client.firstRow(
            "SELECT state, failures, at_s, version FROM flowgate_breakers WHERE connection = \(connection)", as: (String, Int, Double, Int64).self
        )
        return row.map { Row(state: $0.0, failures: $0.1, at: $0.2, version: $0.3) }
    }

    /// Writes `state` if the row is still at `version` (or still absent); false when another replica won.
    private static func write(
        _ connection: String, _ state: CircuitBreaker.State, expecting version: Int64?, client: PostgresClient
    ) async throws -> Bool {
        let (name, failures, at): (String, Int, Double) =
            switch state {
            case .closed(let failures): ("closed", failures, 0)
            case .open(let until): ("open", 0, until.timeIntervalSince1970)
            case .halfOpen(let since): ("half_open", 0, since.timeIntervalSince1970)
            }
        let written: Int64?
        if let version {
            written = try await client.firstRow(
                """
                UPDATE flowgate_breakers SET state = \(name), failures = \(failures), at_s = \(at), version = version + 1
                WHERE connection = \(connection) AND version = \(version) RETURNING version
                """,
                as: Int64.self
            )
        } else {
            written = try await client.firstRow(
                """
                INSERT INTO flowgate_breakers (connection, state, failures, at_s, version) VALUES (\(connection), \(name), \(failures), \(at), 1)
                ON CONFLICT (connection) DO NOTHING RETURNING version
                """,
                as: Int64.self
            )
        }
        return written != nil
    }
}
