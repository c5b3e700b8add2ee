import FlowgateCore
import Foundation
import Logging

/// The state stores the pipeline uses, chosen by `store:` — this process's memory, or PostgreSQL
/// shared by the fleet with each replica's memory as its fallback (and, for the cache, its L1).
struct SharedState: Sendable {
    var buckets: any RateLimitStore
    var breakers: any BreakerStore
    var cache: any ResponseCacheStore
    var idempotency: any IdempotencyStore
    var fleetFill: FleetFill?
    var database: ClusterDatabase?

    /// In memory mode every store reads `clock`; PostgreSQL's stores keep the database's clock, which
    /// is what makes them agree across replicas.
    static func make(config: GatewayConfig, logger: Logger, metrics: GatewayMetrics, clock: any GatewayClock) -> SharedState {
        let memoryCache = MemoryResponseCache(maxBytes: config.cache.maxBytes, onEvict: { metrics.recordCache("evicted", count: $0) })
        guard case .postgres(let settings) = config.store else {
            return SharedState(
                buckets: MemoryRateLimitStore(now: { clock.date }), breakers: MemoryBreakerStore(now: { clock.date }), cache: memoryCache,
                idempotency: MemoryIdempotencyStore(now: { clock.date }), fleetFill: nil, database: nil
            )
        }
        let database = ClusterDatabase(settings: settings, logger: logger, metrics: metrics)
        let shared = SharedResponseCache(database: database, staleWindow: max(config.cache.staleWhileRevalidate, config.cache.staleIfError).seconds)
        let cache = TieredResponseCache(near: memoryCache, shared: shared, clock: clock)
        // One request's whole budget, plus a second for the answer to reach the store.
        let fillBudget = config.server.requestTimeout.seconds + 1
        let breakers = PostgresBreakerStore(database: database)
        return SharedState(
            buckets: PostgresRateLimitStore(database: database, breakers: breakers),
            breakers: breakers,
            cache: cache,
            idempotency: PostgresIdempotencyStore(database: database, lease: max(60, 3 * config.server.requestTimeout.seconds)),
            fleetFill: FleetFill(leases: shared, store: cache, budget: fillBudget, clock: clock),
            database: database
        )
    }
}
