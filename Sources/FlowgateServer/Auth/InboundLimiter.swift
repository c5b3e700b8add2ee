import FlowgateCore
import Foundation
import Synchronization

/// The inbound limit per gateway key (`keys[].rate`, docs/resilience.md#inbound-limit): one token bucket per key, in this
/// process's memory, taken synchronously.
///
/// Synchronous because the hit path below the router (``CacheHitHandler``) runs on the event loop and
/// must spend from the same bucket as the router's ``InboundLimitMiddleware``; and per replica by
/// design: a fleet-wide inbound limit would put a database round trip on every cache hit. A rejected
/// request takes nothing, so asking again (the router after the hit path declined) costs no token.
final class InboundLimiter: Sendable {
    private struct State {
        var buckets: [BucketKey: TokenBucket] = [:]
        var lastSweep = Date.distantPast
    }

    private let state = Mutex(State())
    private let clock: any GatewayClock
    /// How often buckets that are full again are forgotten, so memory follows the keys in use.
    private let sweepInterval: TimeInterval

    init(clock: any GatewayClock, sweepInterval: TimeInterval = 60) {
        self.clock = clock
        self.sweepInterval = sweepInterval
    }

    /// Nil when the caller may go (its bucket took a token, or it has no limit); otherwise the seconds
    /// until it may try again, and nothing was taken.
    func admit(_ caller: Caller) -> TimeInterval? {
        guard let bucket = caller.inboundBucket else { return nil }
        let now = clock.date
        return state.withLock { state in
            if now.timeIntervalSince(state.lastSweep) >= sweepInterval {
                state.lastSweep = now
                state.buckets = state.buckets.filter { !$0.value.isIdle(now: now) }
            }
            var current = state.buckets[bucket.key].flatMap { $0.size == bucket.size ? $0 : nil } ?? TokenBucket(size: bucket.size, now: now)
            let decision = current.reserve(now: now, maxWait: 0)
            state.buckets[bucket.key] = current
            if case .reject(let retryAfter) = decision { return retryAfter }
            return nil
        }
    }

    /// Buckets currently held (for tests).
    var count: Int { state.withLock { $0.buckets.count } }
}
