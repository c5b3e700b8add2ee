import FlowgateCore
import FlowgateProviders
import Logging

/// Everything that follows from one loaded config: who may call (keys, tenants), what they reach
/// (each connection's endpoint), the cursor secret and the cache's TTLs. A reload builds a new
/// generation and swaps it in whole; each request takes the current one when it arrives and keeps it
/// to the end, so a request never sees half of one config and half of another.
///
/// What outlives generations lives in ``GatewayServices``: the HTTP client, the state stores
/// (buckets, breakers, cache, idempotency), metrics.
final class GatewayGeneration: Sendable {
    /// 1 for the config the process started with, then one more per successful reload.
    let number: Int
    let config: GatewayConfig
    let directory: TenantDirectory
    let cursors: CursorSealer
    let adapters: ConnectionAdapters
    let cachePolicy: CachePolicy

    init(
        number: Int, config: GatewayConfig, directory: TenantDirectory, cursors: CursorSealer, adapters: ConnectionAdapters, cachePolicy: CachePolicy
    ) {
        self.number = number
        self.config = config
        self.directory = directory
        self.cursors = cursors
        self.adapters = adapters
        self.cachePolicy = cachePolicy
    }
}

/// Builds generations: the first from the start-up config, the next ones from reloaded configs,
/// keeping every connection endpoint whose config did not change.
struct GenerationBuilder: Sendable {
    let routes: [ProviderKind: ProviderRoutes]
    let client: any UpstreamHTTP
    let limits: any RateLimitStore
    let breakers: any BreakerStore
    let metrics: GatewayMetrics
    let clock: any GatewayClock
    let logger: Logger
    /// Used when the config sets no `server.cursor_secret`: random, for this process's life.
    let fallbackCursorSecret: String

    func build(_ config: GatewayConfig, number: Int, previous: GatewayGeneration?) -> GatewayGeneration {
        let adapters = ConnectionAdapters(
            config: config, routes: routes, client: client, limits: limits, breakers: breakers, metrics: metrics, clock: clock,
            logger: logger, reusing: previous?.adapters
        )
        return GatewayGeneration(
            number: number,
            config: config,
            directory: TenantDirectory(config: config),
            cursors: CursorSealer(secret: config.server.cursorSecret?.value ?? fallbackCursorSecret),
            adapters: adapters,
            cachePolicy: CachePolicy(config: config, routes: routes, adapters: adapters)
        )
    }
}
