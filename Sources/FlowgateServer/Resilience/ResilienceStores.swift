import FlowgateCore
import FlowgateProviders
import Foundation
import Synchronization

/// Which bucket: whose budget it is (so two connections on one token share it, and another tenant's
/// token never does) and the bucket's name.
struct BucketKey: Sendable, Hashable {
    /// A digest of the provider, upstream origin and credential values (or, for a bucket keyed by
    /// portal, of the provider and portal); never the secrets themselves.
    var credential: String
    var bucket: String
}

/// One bucket a call draws from: which one, and its shape.
struct BucketDraw: Sendable, Hashable {
    var key: BucketKey
    var shape: BucketShape
}

/// What a store answered to a call's reservation.
struct Reservation: Sendable, Hashable {
    var decision: BucketDecision
    /// When the call goes (or would have gone), in Unix seconds on the store's clock: what a later
    /// reconciliation with the upstream's answer measures from.
    var slot: TimeInterval
    /// Which of the call's buckets decided the slot (the one a refusal names).
    var binding: Int
    /// Per bucket, the slots in use once the reservation is made.
    var used: [Int]
    /// The call's number among the admissions of its first bucket (the one an answer's rate-limit
    /// headers describe): a reconciliation counts the calls admitted after it.
    var admission: Int = 0
}

/// What a bucket holds now, for `GET /v1/connections` and the budget metrics.
struct BucketUsage: Sendable, Hashable {
    /// Slots in use: calls within the window (or the burst) and calls waiting for theirs.
    var used: Int
    /// When a call asked for now would go.
    var nextFree: Date
}

/// Where upstream buckets live. In memory for one process; in cluster mode a PostgreSQL store makes a
/// limit hold for the whole fleet.
protocol RateLimitStore: Sendable {
    /// A slot in every bucket of `draws` at once (see ``UpstreamBucket/reserve(_:now:maxWait:)``).
    func reserve(_ draws: [BucketDraw], maxWait: TimeInterval) async -> Reservation
    /// The same, made together with a fleet fill's claim (see the default below).
    func reserve(
        _ draws: [BucketDraw], maxWait: TimeInterval, claiming claim: FleetClaim, breaker: String
    ) async -> (outcome: FleetClaim.Outcome, reservation: Reservation?)
    /// The upstream said stop (a 429): nothing through this bucket for `seconds`, then its own pace.
    func block(_ draw: BucketDraw, forSeconds seconds: TimeInterval) async
    /// The upstream reported its remaining budget after a call that went at `sentAt` (a reservation's
    /// slot), admitted as number `admission` (the reservation's).
    func reconcile(_ draw: BucketDraw, sentAt: TimeInterval, admission: Int, budget: UpstreamBudget) async
    /// What each bucket holds now.
    func usage(_ draws: [BucketDraw]) async -> [BucketUsage]
    /// A call reserved for `slot` left `lateBy` seconds after it (an overloaded gateway): its buckets
    /// record when it really left.
    func restamp(_ draws: [BucketDraw], slot: TimeInterval, lateBy: TimeInterval) async
}

extension RateLimitStore {
    /// A reservation made together with a fleet fill's claim and the read of the connection's breaker
    /// (cluster mode: one round trip for all three). No reservation when the claim found another replica
    /// filling. A store without a fleet makes the reservation alone and reports the claim unavailable.
    func reserve(
        _ draws: [BucketDraw], maxWait: TimeInterval, claiming claim: FleetClaim, breaker: String
    ) async -> (outcome: FleetClaim.Outcome, reservation: Reservation?) {
        (.unavailable, await reserve(draws, maxWait: maxWait))
    }

    /// One token bucket (the inbound limit per gateway key).
    func reserve(_ key: BucketKey, size: TokenBucket.Size, maxWait: TimeInterval) async -> BucketDecision {
        await reserve([BucketDraw(key: key, shape: .rate(size))], maxWait: maxWait).decision
    }
}

/// Where circuit breakers live (per connection).
protocol BreakerStore: Sendable {
    func acquire(_ connection: String, settings: CircuitBreaker.Settings) async -> CircuitBreaker.Permit
    func record(_ connection: String, settings: CircuitBreaker.Settings, success: Bool, isProbe: Bool) async
    func circuit(_ connection: String) async -> ConnectionInfo.CircuitState
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
