import FlowgateCore
import Foundation
import Synchronization

/// Which bucket: the credential it spends (so two connections on one token share it, and another
/// tenant's token never does) and the bucket's name.
struct BucketKey: Sendable, Hashable {
    /// A digest of the provider, upstream origin and credential values; never the secrets themselves.
    var credential: String
    var bucket: String
}

/// Where token buckets live. In memory for one process; in cluster mode a PostgreSQL store makes a
/// limit hold for the whole fleet.
protocol RateLimitStore: Sendable {
    func reserve(_ key: BucketKey, size: TokenBucket.Size, maxWait: TimeInterval) async -> TokenBucket.Decision
    /// The upstream said stop: nothing through this bucket before `until`.
    func block(_ key: BucketKey, size: TokenBucket.Size, until: Date) async
}

/// Where circuit breakers live (per connection).
protocol BreakerStore: Sendable {
    func acquire(_ connection: String, settings: CircuitBreaker.Settings) async -> CircuitBreaker.Permit
    func record(_ connection: String, settings: CircuitBreaker.Settings, success: Bool, isProbe: Bool) async
    func circuit(_ connection: String) async -> ConnectionInfo.CircuitState
}

/// The embedded bucket store. Buckets are made on first use and forgotten once idle (full and nothing
/// reserved), so memory follows the credentials in use, not every credential ever seen.
final class MemoryRateLimitStore: RateLimitStore {
    private struct State {
        var buckets: [BucketKey: TokenBucket] = [:]
        var lastSweep = Date.distantPast
    }

    private let state = Mutex(State())
    private let now: @Sendable () -> Date
    private let sweepInterval: TimeInterval

    init(now: @escaping @Sendable () -> Date = Date.init, sweepInterval: TimeInterval = 60) {
        self.now = now
        self.sweepInterval = sweepInterval
    }

    var count: Int { state.withLock { $0.buckets.count } }

    func reserve(_ key: BucketKey, size: TokenBucket.Size, maxWait: TimeInterval) -> TokenBucket.Decision {
        let moment = now()
        return state.withLock { state in
            sweep(&state, now: moment)
            var bucket = bucket(state, key, size, moment)
            let decision = bucket.reserve(now: moment, maxWait: maxWait)
            state.buckets[key] = bucket
            return decision
        }
    }

    func block(_ key: BucketKey, size: TokenBucket.Size, until: Date) {
        let moment = now()
        state.withLock { state in
            var bucket = bucket(state, key, size, moment)
            bucket.block(until: until)
            state.buckets[key] = bucket
        }
    }

    /// The stored bucket, or a full new one; a size changed by config starts afresh.
    private func bucket(_ state: State, _ key: BucketKey, _ size: TokenBucket.Size, _ now: Date) -> TokenBucket {
        if let existing = state.buckets[key], existing.size == size { return existing }
        return TokenBucket(size: size, now: now)
    }

    private func sweep(_ state: inout State, now: Date) {
        guard now.timeIntervalSince(state.lastSweep) >= sweepInterval else { return }
        state.lastSweep = now
        state.buckets = state.buckets.filter { !$0.value.isIdle(now: now) }
    }
}

/// The embedded breaker store: one breaker per connection name (connections are few and fixed).
final class MemoryBreakerStore: BreakerStore {
    private let breakers = Mutex<[String: CircuitBreaker]>([:])
    private let now: @Sendable () -> Date

    init(now: @escaping @Sendable () -> Date = Date.init) {
        self.now = now
    }

    func acquire(_ connection: String, settings: CircuitBreaker.Settings) -> CircuitBreaker.Permit {
        let moment = now()
        return breakers.withLock { breakers in
            var breaker = breakers[connection] ?? CircuitBreaker(settings: settings)
            let permit = breaker.acquire(now: moment)
            breakers[connection] = breaker
            return permit
        }
    }

    func record(_ connection: String, settings: CircuitBreaker.Settings, success: Bool, isProbe: Bool) {
        let moment = now()
        breakers.withLock { breakers in
            var breaker = breakers[connection] ?? CircuitBreaker(settings: settings)
            breaker.record(success: success, isProbe: isProbe, now: moment)
            breakers[connection] = breaker
        }
    }

    func circuit(_ connection: String) -> ConnectionInfo.CircuitState {
        breakers.withLock { $0[connection]?.circuit ?? .closed }
    }
}
