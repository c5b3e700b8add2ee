import FlowgateCore
import Foundation
import Yams

/// Loads and validates a config file in one pass (docs/canonical-api.md#config).
///
/// ```swift
/// let config = try ConfigLoader().load(path: "Config/example.yaml")   // throws ConfigError with every problem
/// ```
public struct ConfigLoader: Sendable {
    public var references: SecretReferences

    public init(references: SecretReferences = SecretReferences()) {
        self.references = references
    }

    public func load(path: String) throws -> GatewayConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(problems: [ConfigProblem(path: "", line: nil, issue: "cannot read \(path)")])
        }
        return try parse(yaml: text)
    }

    public func parse(yaml text: String) throws -> GatewayConfig {
        var shield = ReferenceShield()
        let shielded = shield.shield(text)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: shielded) else {
                throw ConfigError(problems: [ConfigProblem(path: "", line: nil, issue: "the file is empty")])
            }
            root = node
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(problems: [ConfigProblem(path: "", line: nil, issue: "not valid YAML: \(error)")])
        }
        let reader = ConfigReader(references: references, shield: shield)
        let config = Self.read(root, reader)
        guard reader.problems.isEmpty, let config else { throw ConfigError(problems: reader.problems) }
        return config
    }

    private static func read(_ root: Node, _ reader: ConfigReader) -> GatewayConfig? {
        guard let top = reader.mapping(root, at: "", required: ["tenants"], optional: ["server", "cache", "store"]) else {
            return nil
        }
        let server = top["server"].map { readServer($0, reader) } ?? ServerSettings()
        let cache = top["cache"].map { readCache($0, reader) } ?? CacheSettings()
        let store = top["store"].flatMap { readStore($0, reader) } ?? .memory
        let tenants = top["tenants"].map { TenantReader(reader: reader).readAll($0) } ?? []
        if reader.problems.isEmpty, let tables = try? RouteTableLoader.loadAll() {
            SharedBucketCheck.check(tenants, tables: tables, reader: reader)
        }
        if case .postgres = store, server.cursorSecret == nil {
            reader.report("server.cursor_secret", top["server"], "is required with a postgres store: replicas must share it")
        }
        return GatewayConfig(server: server, cache: cache, store: store, tenants: tenants)
    }

    private static func readServer(_ node: Node, _ reader: ConfigReader) -> ServerSettings {
        var server = ServerSettings()
        let keys: Set<String> = [
            "host", "port", "max_body_bytes", "max_uri_bytes", "upstream_timeout_s", "request_timeout_s", "upstream_connect_timeout_s",
            "upstream_pool_size", "cursor_secret", "drain_timeout_s", "shutdown_delay_s", "idle_timeout_s",
            "ratelimit_max_wait_s", "window_margin_ms", "upstream_retries", "breaker_failures", "breaker_cooldown_s", "config_watch_interval_s",
        ]
        guard let entries = reader.mapping(node, at: "server", optional: keys) else { return server }
        if let node = entries["host"], let host = reader.string(node, at: "server.host") { server.host = host }
        if let node = entries["port"], let port = reader.int(node, at: "server.port", in: 0...65535) { server.port = port }
        if let node = entries["max_body_bytes"], let value = reader.int(node, at: "server.max_body_bytes", in: 1...(1 << 30)) {
            server.maxBodyBytes = value
        }
        if let node = entries["max_uri_bytes"], let value = reader.int(node, at: "server.max_uri_bytes", in: 256...65536) {
            server.maxURIBytes = value
        }
        if let node = entries["upstream_timeout_s"], let value = reader.seconds(node, at: "server.upstream_timeout_s", in: 0.01...600) {
            server.upstreamTimeout = value
        }
        if let node = entries["request_timeout_s"], let value = reader.seconds(node, at: "server.request_timeout_s", in: 0.01...3600) {
            server.requestTimeout = value
        }
        if let node = entries["upstream_connect_timeout_s"],
            let value = reader.seconds(node, at: "server.upstream_connect_timeout_s", in: 0.01...60)
        {
            server.upstreamConnectTimeout = value
        }
        if let node = entries["upstream_pool_size"], let value = reader.int(node, at: "server.upstream_pool_size", in: 1...1024) {
            server.upstreamPoolSize = value
        }
        if let node = entries["cursor_secret"], let secret = reader.secret(node, at: "server.cursor_secret") {
            if secret.value.utf8.count < 16 {
                reader.report("server.cursor_secret", node, "must be at least 16 characters")
            } else {
                server.cursorSecret = secret
            }
        }
        if let node = entries["drain_timeout_s"], let value = reader.seconds(node, at: "server.drain_timeout_s", in: 0...600) {
            server.drainTimeout = value
        }
        if let node = entries["shutdown_delay_s"], let value = reader.seconds(node, at: "server.shutdown_delay_s", in: 0...300) {
            server.shutdownDelay = value
        }
        if let node = entries["idle_timeout_s"], let value = reader.seconds(node, at: "server.idle_timeout_s", in: 1...3600) {
            server.idleTimeout = value
        }
        if let node = entries["ratelimit_max_wait_s"], let value = reader.seconds(node, at: "server.ratelimit_max_wait_s", in: 0...60) {
            server.rateLimitMaxWait = value
        }
        if let node = entries["window_margin_ms"], let value = reader.int(node, at: "server.window_margin_ms", in: 0...60_000) {
            server.windowMargin = .milliseconds(value)
        }
        if let node = entries["config_watch_interval_s"], let value = reader.seconds(node, at: "server.config_watch_interval_s", in: 0...3600) {
            server.configWatchInterval = value
        }
        if let node = entries["upstream_retries"], let value = reader.int(node, at: "server.upstream_retries", in: 0...5) {
            server.upstreamRetries = value
        }
        if let node = entries["breaker_failures"], let value = reader.int(node, at: "server.breaker_failures", in: 1...1000) {
            server.breakerFailures = value
        }
        if let node = entries["breaker_cooldown_s"], let value = reader.seconds(node, at: "server.breaker_cooldown_s", in: 0.01...3600) {
            server.breakerCooldown = value
        }
        return server
    }

    private static func readCache(_ node: Node, _ reader: ConfigReader) -> CacheSettings {
        var cache = CacheSettings()
        guard let entries = reader.mapping(node, at: "cache", optional: ["max_bytes", "stale_while_revalidate_s", "stale_if_error_s"]) else {
            return cache
        }
        if let node = entries["stale_while_revalidate_s"],
            let value = reader.seconds(node, at: "cache.stale_while_revalidate_s", in: 0...86_400)
        {
            cache.staleWhileRevalidate = value
        }
        if let node = entries["stale_if_error_s"], let value = reader.seconds(node, at: "cache.stale_if_error_s", in: 0...604_800) {
            cache.staleIfError = value
        }
        if let node = entries["max_bytes"], let value = reader.int(node, at: "cache.max_bytes", in: 0...(1 << 40)) {
            cache.maxBytes = value
        }
        return cache
    }

    private static func readStore(_ node: Node, _ reader: ConfigReader) -> StoreSetting? {
        guard let value = reader.string(node, at: "store") else { return nil }
        if value == "memory" { return .memory }
        guard value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") else {
            reader.report("store", node, "must be 'memory' or a postgres:// URL")
            return nil
        }
        switch PostgresSettings.parse(value) {
        case .success(let settings): return .postgres(settings)
        case .failure(let problem):
            reader.report("store", node, "postgres URL \(problem.issue)")
            return nil
        }
    }
}
