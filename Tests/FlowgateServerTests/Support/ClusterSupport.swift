import Foundation
import Logging
import Testing

@testable import FlowgateServer

#if canImport(Glibc)
import Glibc
#endif

/// Cluster-mode tests need a PostgreSQL server: `.ci/run` starts one (scripts/dev-postgres.sh) and
/// sets `FLOWGATE_TEST_POSTGRES` to its URL and `FLOWGATE_CLUSTER_TESTS=1`, which makes a missing
/// server a failure rather than a skip. Locally, without the variable, these tests are skipped.
enum ClusterTestEnvironment {
    static let postgresURL = ProcessInfo.processInfo.environment["FLOWGATE_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    static let required = ProcessInfo.processInfo.environment["FLOWGATE_CLUSTER_TESTS"] == "1"
    static var available: Bool { postgresURL != nil }

    /// A generous operation timeout: on a loaded 2-core CI machine a store call can take seconds, and
    /// a timeout would make the store fall back to local state, which these tests are not about.
    static func settings(timeout: Duration = .seconds(15)) throws -> PostgresSettings {
        let url = try #require(postgresURL, "FLOWGATE_TEST_POSTGRES is not set")
        var settings = try PostgresSettings.parse(url).get()
        settings.operationTimeout = timeout
        return settings
    }

    /// The store URL for gateway processes, with the same generous timeout.
    static var fleetStoreURL: String {
        guard let url = postgresURL else { return "memory" }
        return url + (url.contains("?") ? "&" : "?") + "timeout_ms=15000"
    }

    /// A random prefix so tests sharing one database never share a key.
    static func unique(_ name: String) -> String { "\(name)-\(UUID().uuidString.prefix(8))" }
}

/// Runs `body` with a connected ``ClusterDatabase`` (its pool and upkeep running), then stops it.
func withClusterDatabase<T: Sendable>(
    _ settings: PostgresSettings? = nil, metrics: GatewayMetrics = GatewayMetrics(),
    _ body: @Sendable (ClusterDatabase) async throws -> T
) async throws -> T {
    let database = ClusterDatabase(settings: try settings ?? ClusterTestEnvironment.settings(), logger: Logger(label: "test.store"), metrics: metrics)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await database.runUntilCancelled() }
        defer { group.cancelAll() }
        return try await body(database)
    }
}

/// Several databases at once, as several replicas would hold them.
func withClusterDatabases<T: Sendable>(_ count: Int, _ body: @Sendable ([ClusterDatabase]) async throws -> T) async throws -> T {
    let settings = try ClusterTestEnvironment.settings()
    let databases = (0..<count).map { _ in ClusterDatabase(settings: settings, logger: Logger(label: "test.store"), metrics: GatewayMetrics()) }
    return try await withThrowingTaskGroup(of: Void.self) { group in
        for database in databases { group.addTask { await database.runUntilCancelled() } }
        defer { group.cancelAll() }
        return try await body(databases)
    }
}

/// `Support/tcp-relay.py` on a port, forwarding to another: stopping it is a database that went away.
struct TCPRelay: Sendable {
    private let process: ChildProcess

    init(port: Int, target: Int) throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("tcp-relay.py")
        process = try ChildProcess("python3", [script.path, String(port), String(target)], log: "/dev/null")
        // Ready once it accepts connections.
        for _ in 0..<100 {
            if Self.accepts(port) { return }
            usleep(50_000)
        }
        throw ChildProcess.SpawnError(description: "the relay on \(port) never listened")
    }

    func stop() { process.stop(signal: SIGKILL) }

    private static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = ClusterFleet.loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
