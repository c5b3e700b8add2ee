import FlowgateCore
import FlowgateRouteFiles
import Foundation
import Logging

/// What the route handlers share and what outlives a config reload, built once at start-up by
/// ``buildApplication(config:logger:metrics:readiness:clock:reload:onServerRunning:)``. What a config
/// decides (keys, connections, cursors, TTLs) is in the current ``GatewayGeneration``, which each
/// request pins when it arrives.
struct GatewayServices: Sendable {
    let generations: GenerationStore
    /// Builds the next generation on a reload.
    let builder: GenerationBuilder
    let metrics: GatewayMetrics
    let upstream: UpstreamClient
    let breakers: any BreakerStore
    let inboundLimits: InboundLimiter
    let cache: ResponseCache
    let idempotency: any IdempotencyStore
    let readiness: Readiness
    /// The time every time-driven decision reads (injected by tests).
    let clock: any GatewayClock
    let openAPIDocument: [UInt8]
    /// Each provider's native passthrough rules (`native:` of its route table).
    let native: [ProviderKind: NativeRules]
    /// Cluster mode's shared store, run as a service beside the server; nil in memory mode.
    let cluster: ClusterDatabase?

    /// The generation new requests get.
    var current: GatewayGeneration { generations.generation }

    /// The hit path below the router, over these services' cache, generations and inbound limits.
    func hitPath(serverName: String?, logger: Logger) -> CacheHitPath {
        CacheHitPath(
            generations: generations, cache: cache, limiter: inboundLimits, metrics: metrics, date: HTTPDate(), serverName: serverName,
            allowedMethods: CanonicalRoutes.allowedMethods, logger: logger
        )
    }
}

extension GatewayServices {
    /// Everything the handlers share, from validated config; fails only if a shipped file is broken.
    static func make(
        config: GatewayConfig, logger: Logger, metrics: GatewayMetrics, readiness: Readiness, clock: any GatewayClock
    ) throws -> GatewayServices {
        // Everything that can fail comes before the client, which must be shut down once created.
        let routes = try RouteTableLoader.loadAll()
        let native = try NativeRulesLoader.loadAll(routes: routes)
        let openAPIDocument = Array(try RouteFiles.openAPIDocument())
        let upstream = UpstreamClient(settings: config.server, logger: logger)
        let state = SharedState.make(config: config, logger: logger, metrics: metrics, clock: clock)
        let builder = GenerationBuilder(
            routes: routes, client: upstream, limits: state.buckets, breakers: state.breakers, metrics: metrics, clock: clock, logger: logger,
            fallbackCursorSecret: cursorSecret(config, logger: logger)
        )
        return GatewayServices(
            generations: GenerationStore(builder.build(config, number: 1, previous: nil)),
            builder: builder,
            metrics: metrics,
            upstream: upstream,
            breakers: state.breakers,
            // Per replica by design: a fleet-wide inbound limit would put a database round trip on every cache hit.
            inboundLimits: InboundLimiter(clock: clock),
            cache: ResponseCache(
                store: state.cache, staleWhileRevalidate: config.cache.staleWhileRevalidate.seconds,
                staleIfError: config.cache.staleIfError.seconds, metrics: metrics, fleet: state.fleetFill, clock: clock
            ),
            idempotency: state.idempotency,
            readiness: readiness,
            clock: clock,
            openAPIDocument: openAPIDocument,
            native: native,
            cluster: state.database
        )
    }

    /// A random cursor secret for this process alone, used while the config sets none (with a warning:
    /// cursors then die with the process and do not work across replicas).
    private static func cursorSecret(_ config: GatewayConfig, logger: Logger) -> String {
        if config.server.cursorSecret == nil {
            logger.warning("server.cursor_secret is not set: list cursors will not survive a restart or work across replicas")
        }
        return KeyHash.generateKey()
    }
}
