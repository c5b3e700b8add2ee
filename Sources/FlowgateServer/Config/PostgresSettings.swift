import FlowgateCore
import Foundation

/// Where the fleet's shared state lives in cluster mode: `store: postgres://user:password@host:port/db`.
/// Parsed once at load so a typo is a config error with its path, not a failure at the first request.
public struct PostgresSettings: Sendable, Hashable {
    public enum TLSMode: String, Sendable, Hashable {
        /// Plain TCP: loopback, or a private network the operator trusts.
        case disable
        /// TLS when the server offers it (libpq's default).
        case prefer
        /// TLS or no connection.
        case require
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: Secret?
    public var database: String
    public var tls: TLSMode
    /// Connections each replica keeps open at most.
    public var poolSize: Int
    /// Longest one store operation may take before the replica falls back to its local state.
    public var operationTimeout: Duration

    /// Reads a `postgres://` (or `postgresql://`) URL; returns the problem in words when it is not one.
    /// Query options: `sslmode=disable|prefer|require`, `pool_size=1…100`, `timeout_ms=10…60000`.
    public static func parse(_ text: String) -> Result<PostgresSettings, PostgresURLProblem> {
        guard let components = URLComponents(string: text), ["postgres", "postgresql"].contains(components.scheme ?? "") else {
            return .failure(.init("must be a postgres://user:password@host:port/database URL"))
        }
        guard let host = components.host, !host.isEmpty else { return .failure(.init("names no host")) }
        guard let username = components.user, !username.isEmpty else { return .failure(.init("names no user")) }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { return .failure(.init("names no database (postgres://…/DATABASE)")) }
        var settings = PostgresSettings(
            host: host, port: components.port ?? 5432, username: username,
            password: components.password.map { Secret($0.removingPercentEncoding ?? $0) }, database: database,
            tls: .prefer, poolSize: 10, operationTimeout: .seconds(2)
        )
        for item in components.queryItems ?? [] {
            switch (item.name, item.value) {
            case ("sslmode", let value?):
                guard let mode = TLSMode(rawValue: value) else { return .failure(.init("sslmode must be disable, prefer or require")) }
                settings.tls = mode
            case ("pool_size", let value?):
                guard let size = Int(value), (1...100).contains(size) else { return .failure(.init("pool_size must be 1…100")) }
                settings.poolSize = size
            case ("timeout_ms", let value?):
                guard let ms = Int(value), (10...60_000).contains(ms) else { return .failure(.init("timeout_ms must be 10…60000")) }
                settings.operationTimeout = .milliseconds(ms)
            default:
                return .failure(.init("unknown option '\(item.name)' (known: sslmode, pool_size, timeout_ms)"))
            }
        }
        return .success(settings)
    }

    /// For log lines: everything but the password.
    public var redacted: String { "postgres://\(username)@\(host):\(port)/\(database)" }
}

/// Why a store URL was refused; never repeats the URL, which may hold a password.
public struct PostgresURLProblem: Error, Sendable, Hashable {
    public var issue: String
    init(_ issue: String) { self.issue = issue }
}
