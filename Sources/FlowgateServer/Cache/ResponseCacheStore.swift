import Foundation
import Synchronization

/// Where cached answers live. In memory for one process; in cluster mode a tiered store (this memory
/// cache in front of PostgreSQL) lets one replica's upstream read serve the fleet.
protocol ResponseCacheStore: Sendable {
    func get(_ key: String) async -> CachedAnswer?
    /// Stores `answer` unless one of its tags was invalidated after `generation` was read (a fill
    /// that raced a write must not put the old answer back). A fleet fill's lease, when given, is
    /// released with the shared copy (never before it: other replicas wait for one or the other).
    func put(_ key: String, _ answer: CachedAnswer, ifUnchangedSince generation: CacheGeneration, releasing lease: FleetLease?) async
    /// Releases a fleet fill's lease that has no answer to store.
    func release(_ lease: FleetLease) async
    /// The invalidation clocks to pass to `put` for a fill starting now.
    func generation() async -> CacheGeneration
    /// This process's clocks only: a fleet fill's shared clock comes with its claim.
    func localGeneration() -> CacheGeneration
    /// Drops every answer carrying any of `tags`.
    func invalidate(tags: Set<String>) async
    var byteCount: Int { get async }
}

extension ResponseCacheStore {
    func release(_ lease: FleetLease) async {}
}

/// Where the invalidation clocks stood when a fill began.
struct CacheGeneration: Sendable, Hashable {
    /// This process's clock.
    var local: UInt64
    /// The shared store's clock in cluster mode; nil in memory mode, or when it could not be read
    /// (the answer is then kept locally only).
    var shared: Int64? = nil
}

/// The embedded store: LRU within `cache.max_bytes`, answers indexed by tag for invalidation.
final class MemoryResponseCache: ResponseCacheStore {
    private struct State {
        var answers: [String: CachedAnswer] = [:]
        var lru: CacheLRU
        var keysByTag: [String: Set<String>] = [:]
        /// Last invalidation per tag, as a value of `clock`.
        var invalidatedAt: [String: UInt64] = [:]
        var clock: UInt64 = 0
        /// Fills that began before this are not stored: set when `invalidatedAt` is pruned, so its
        /// memory stays bounded without letting a raced fill through.
        var floor: UInt64 = 0
    }

    /// Invalidation records kept before they are folded into `floor`.
    static let maxInvalidationRecords = 10_000

    private let state: Mutex<State>
    private let onEvict: @Sendable (Int) -> Void

    init(maxBytes: Int, onEvict: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.state = Mutex(State(lru: CacheLRU(maxBytes: maxBytes)))
        self.onEvict = onEvict
    }

    func get(_ key: String) -> CachedAnswer? {
        state.withLock { state in
            guard let answer = state.answers[key] else { return nil }
            state.lru.touch(key)
            return answer
        }
    }

    func generation() -> CacheGeneration {
        CacheGeneration(local: state.withLock { $0.clock })
    }

    func localGeneration() -> CacheGeneration { generation() }

    /// No fleet here: a lease never comes with an answer to this store alone.
    func put(_ key: String, _ answer: CachedAnswer, ifUnchangedSince generation: CacheGeneration, releasing lease: FleetLease?) {
        put(key, answer, ifUnchangedSince: generation)
    }

    func put(_ key: String, _ answer: CachedAnswer, ifUnchangedSince generation: CacheGeneration) {
        let generation = generation.local
        let evicted: Int = state.withLock { state in
            guard generation >= state.floor, answer.tags.allSatisfy({ (state.invalidatedAt[$0] ?? 0) <= generation }) else { return 0 }
            guard answer.byteCount <= state.lru.maxBytes else { return 0 }
            Self.drop(key, from: &state)
            state.answers[key] = answer
            for tag in answer.tags { state.keysByTag[tag, default: []].insert(key) }
            let victims = state.lru.insert(key, bytes: answer.byteCount)
            for victim in victims { Self.drop(victim, from: &state) }
            return victims.count
        }
        if evicted > 0 { onEvict(evicted) }
    }

    func invalidate(tags: Set<String>) {
        state.withLock { state in
            state.clock += 1
            for tag in tags {
                state.invalidatedAt[tag] = state.clock
                for key in state.keysByTag.removeValue(forKey: tag) ?? [] { Self.drop(key, from: &state) }
            }
            if state.invalidatedAt.count > Self.maxInvalidationRecords {
                state.invalidatedAt = [:]
                state.floor = state.clock
            }
        }
    }

    /// Forgets every answer (another replica's invalidations may have been missed); later fills that
    /// began before now are not stored either.
    func removeAll() {
        state.withLock { state in
            state.clock += 1
            state.floor = state.clock
            state.invalidatedAt = [:]
            for key in Array(state.answers.keys) { Self.drop(key, from: &state) }
        }
    }

    var byteCount: Int { state.withLock { $0.lru.bytes } }
    var count: Int { state.withLock { $0.answers.count } }

    private static func drop(_ key: String, from state: inout State) {
        guard let answer = state.answers.removeValue(forKey: key) else { return }
        state.lru.remove(key)
        for tag in answer.tags {
            state.keysByTag[tag]?.remove(key)
            if state.keysByTag[tag]?.isEmpty == true { state.keysByTag[tag] = nil }
        }
    }
}
