import FlowgateCore
import Foundation

/// The cluster-mode cache: this replica's memory cache (L1, answers hits without a round trip) in
/// front of the fleet's PostgreSQL cache (L2, ``SharedResponseCache``). An L1 miss reads L2 and keeps
/// what it finds; fills are written to both, the shared copy behind the answer. Invalidations go to
/// both, and other replicas drop their L1 copies when PostgreSQL notifies them; if the notification
/// stream broke, L1 is emptied.
final class TieredResponseCache: ResponseCacheStore {
    let near: MemoryResponseCache
    let shared: SharedResponseCache
    /// What L1 freshness is judged by: the clock the rest of the cache reads.
    let clock: any GatewayClock

    init(near: MemoryResponseCache, shared: SharedResponseCache, clock: any GatewayClock = SystemClock()) {
        self.near = near
        self.shared = shared
        self.clock = clock
        shared.database.onInvalidation { [near] tags in
            if let tags { near.invalidate(tags: Set(tags)) } else { near.removeAll() }
        }
    }

    /// L1's answer while it is within its TTL; past it, whichever of L1 and L2 is newer (another
    /// replica may have refreshed L2 since, and an old L1 copy must not hide that).
    func get(_ key: String) async -> CachedAnswer? {
        let local = near.get(key)
        if let local, clock.date.timeIntervalSince(local.storedAt) < local.ttl { return local }
        // Read before the fetch: an invalidation arriving meanwhile keeps the fetched answer out of L1.
        let generation = near.generation()
        guard let answer = await shared.get(key), answer.storedAt > local?.storedAt ?? .distantPast else { return local }
        near.put(key, answer, ifUnchangedSince: generation)
        return answer
    }

    func generation() async -> CacheGeneration {
        var generation = near.generation()
        generation.shared = await shared.generation()
        return generation
    }

    func localGeneration() -> CacheGeneration { near.generation() }

    /// L1 at once; the shared copy (and the release of the fill's lease with it) is written behind the
    /// answer: the caller does not wait a round trip for other replicas' benefit.
    func put(_ key: String, _ answer: CachedAnswer, ifUnchangedSince generation: CacheGeneration, releasing lease: FleetLease?) async {
        near.put(key, answer, ifUnchangedSince: generation)
        if let shared = generation.shared {
            self.shared.putBehind(key, answer, ifUnchangedSince: shared, releasing: lease)
        } else if let lease {
            self.shared.releaseBehind(lease)
        }
    }

    func release(_ lease: FleetLease) async {
        shared.releaseBehind(lease)
    }

    func invalidate(tags: Set<String>) async {
        near.invalidate(tags: tags)
        await shared.invalidate(tags: tags)
    }

    var byteCount: Int { near.byteCount }
}
