import FlowgateCore
import Foundation
import Logging

/// Reloads the config: loads and validates the whole file first — with the same loader and the same
/// every-problem report as `flowgate check-config` — and only then swaps in a new generation. A bad
/// file changes nothing: the old config keeps serving and every problem is logged with its path and
/// line. Reloads run one at a time.
actor ConfigReloader {
    enum Outcome: Sendable, Equatable {
        /// The new config serves the next requests.
        case applied(generation: Int)
        /// The file was refused; the old config keeps serving.
        case failed(problems: [String])
    }

    private let source: ConfigSource
    private let services: GatewayServices
    private let logger: Logger
    /// What the process started with: settings that cannot change without a restart are compared to it.
    private let startup: GatewayConfig

    init(source: ConfigSource, services: GatewayServices, logger: Logger) {
        self.source = source
        self.services = services
        self.logger = logger
        self.startup = services.current.config
    }

    /// The files a change of which should reload (the config and its `${file:…}` secrets).
    nonisolated var watchedFiles: [String] { source.filesLastRead }
    /// Their fingerprint when they were last read (``ConfigSource/fingerprint(of:)``).
    nonisolated var fingerprintLastRead: String { source.fingerprintLastRead }

    @discardableResult
    func reload(trigger: String) async -> Outcome {
        let loaded: ConfigSource.Loaded
        do {
            loaded = try source.loadWithFiles()
        } catch let error as ConfigError {
            return refuse(error.problems.map(\.description), trigger: trigger)
        } catch {
            return refuse(["\(error)"], trigger: trigger)
        }
        let previous = services.current
        let next = services.builder.build(loaded.config, number: previous.number + 1, previous: previous)
        services.generations.replace(with: next)
        services.metrics.recordConfigReload(success: true)
        services.metrics.setConfigGeneration(next.number, loadedAt: services.clock.date)

        let changes = ConnectionChanges(from: previous, to: next)
        for (tenant, connections) in changes.droppedByTenant {
            await services.cache.invalidate(tenant: tenant, connections: connections)
        }
        let restart = RestartOnlySettings.changed(from: startup, to: loaded.config)
        if !restart.isEmpty {
            logger.warning(
                "config reloaded, but these settings only apply after a restart; the rest is applied",
                metadata: ["settings": "\(restart.joined(separator: ", "))", "source": "\(source.name)"]
            )
        }
        logger.info(
            "config reloaded",
            metadata: [
                "trigger": "\(trigger)", "generation": "\(next.number)", "tenants": "\(loaded.config.tenants.count)",
                "connections_kept": "\(changes.kept)", "connections_changed": "\(changes.changed)", "connections_added": "\(changes.added)",
                "connections_removed": "\(changes.removed)",
            ]
        )
        return .applied(generation: next.number)
    }

    private func refuse(_ problems: [String], trigger: String) -> Outcome {
        services.metrics.recordConfigReload(success: false)
        logger.error(
            "config reload refused: the old config keeps serving",
            metadata: ["trigger": "\(trigger)", "source": "\(source.name)", "problems": "\(problems.count)"]
        )
        for problem in problems {
            logger.error("config problem: \(problem)", metadata: ["source": "\(source.name)"])
        }
        return .failed(problems: problems)
    }
}

/// How a reload changed the connections: kept ones keep their endpoints (session, breaker, learned
/// paths) and cache entries; changed and removed ones lose their cached answers.
struct ConnectionChanges: Sendable {
    var kept = 0
    var changed = 0
    var added = 0
    var removed = 0
    /// Per tenant, connections whose cached answers must go.
    var droppedByTenant: [String: [String]] = [:]

    init(from previous: GatewayGeneration, to next: GatewayGeneration) {
        let before = previous.adapters.all
        let after = next.adapters.all
        for (tenant, connections) in before {
            for (name, endpoint) in connections {
                guard let now = after[tenant]?[name] else {
                    removed += 1
                    droppedByTenant[tenant, default: []].append(name)
                    continue
                }
                if now.origin == endpoint.origin {
                    kept += 1
                } else {
                    changed += 1
                    droppedByTenant[tenant, default: []].append(name)
                }
            }
        }
        for (tenant, connections) in after {
            added += connections.keys.filter { before[tenant]?[$0] == nil }.count
        }
    }
}

/// Settings read once when the process starts (the listening socket, the state store, the upstream
/// client's pool, the cache's size and windows, shutdown timings): a reload reports them as needing
/// a restart and applies everything else.
enum RestartOnlySettings {
    static func changed(from old: GatewayConfig, to new: GatewayConfig) -> [String] {
        var changed: [String] = []
        func check<Value: Equatable>(_ path: String, _ read: (GatewayConfig) -> Value) {
            if read(old) != read(new) { changed.append(path) }
        }
        check("server.host") { $0.server.host }
        check("server.port") { $0.server.port }
        check("server.idle_timeout_s") { $0.server.idleTimeout }
        check("server.upstream_pool_size") { $0.server.upstreamPoolSize }
        check("server.upstream_connect_timeout_s") { $0.server.upstreamConnectTimeout }
        check("server.drain_timeout_s") { $0.server.drainTimeout }
        check("server.shutdown_delay_s") { $0.server.shutdownDelay }
        check("server.config_watch_interval_s") { $0.server.configWatchInterval }
        check("cache.max_bytes") { $0.cache.maxBytes }
        check("cache.stale_while_revalidate_s") { $0.cache.staleWhileRevalidate }
        check("cache.stale_if_error_s") { $0.cache.staleIfError }
        check("store") { $0.store }
        return changed
    }
}
