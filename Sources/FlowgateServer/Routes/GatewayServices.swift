import FlowgateCore
import FlowgateRouteFiles
import Foundation
import Logging

/// What the route handlers share, built once from validated config by ``buildApplication(config:logger:metrics:)``.
struct GatewayServices: Sendable {
    let config: GatewayConfig
    let directory: TenantDirectory
    let cursors: CursorSealer
    let metrics: GatewayMetrics
    let upstream: UpstreamClient
    let adapters: ConnectionAdapters
    let breakers: any BreakerStore
    let inboundLimits: any RateLimitStore
    let cache: ResponseCache
    let cachePolicy: CachePolicy
    let idempotency: any IdempotencyStore
    let readiness: Readiness
    /// The time every time-driven decision reads (injected by tests).
    let clock: any GatewayClock
    let openAPIDocument: [UInt8]
    /// Cluster mode's shared store, run as a service beside the server; nil in memory mode.
    let cluster: ClusterDatabase?
}

extension GatewayServices {
    /// Everything the handlers share, from validated config; fails only if a shipped file is broken.
    static func make(
        config: GatewayConfig, logger: Logger, metrics: GatewayMetrics, readiness: Readiness, clock: any GatewayClock
    ) throws -> GatewayServices {
        // Everything that can fail comes before the client, which must be shut down once created.
        let routes = try RouteTableLoader.loadAll()
        let openAPIDocument = Array(try RouteFiles.openAPIDocument())
        let upstream = UpstreamClient(settings: config.server, logger: logger)
        let state = SharedState.make(config: config, logger: logger, metrics: metrics, clock: clock)
        return GatewayServices(
            config: config,
            directory: TenantDirectory(config: config),
            cursors: CursorSealer(secret: cursorSecret(config, logger: logger)),
            metrics: metrics,
            upstream: upstream,
            adapters: ConnectionAdapters(
                config: config, routes: routes, client: upstream, limits: state.buckets, breakers: state.breakers,
                metrics: metrics, clock: clock, logger: logger
            ),
            breakers: state.breakers,
            // Per replica by design: a fleet-wide inbound limit would put a database round trip on every cache hit.
            inboundLimits: MemoryRateLimitStore(now: { clock.date }),
            cache: ResponseCache(
                store: state.cache, staleWhileRevalidate: config.cache.staleWhileRevalidate.seconds,
                staleIfError: config.cache.staleIfError.seconds, metrics: metrics, fleet: state.fleetFill, clock: clock
            ),
            cachePolicy: CachePolicy(config: config, routes: routes),
            idempotency: state.idempotency,
            readiness: readiness,
            clock: clock,
            openAPIDocument: openAPIDocument,
            cluster: state.database
        )
    }

    /// The configured cursor secret, or a random one for this process alone (with a warning: cursors
    /// then die with the process and do not work across replicas).
    private static func cursorSecret(_ config: GatewayConfig, logger: Logger) -> String {
        if let secret = config.server.cursorSecret { return secret.value }
        logger.warning("server.cursor_secret is not set: list cursors will not survive a restart or work across replicas")
        return KeyHash.generateKey()
    }
}
