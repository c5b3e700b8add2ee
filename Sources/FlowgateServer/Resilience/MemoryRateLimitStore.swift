import FlowgateProviders
import Foundation
import Synchronization

/// The embedded bucket store: every bucket of the process behind one lock, so a call drawing from
/// several buckets is recorded in all of them at once. Buckets are made on first use and forgotten
/// once idle (nothing in use, nothing reserved), so memory follows the credentials in use, not every
/// credential ever seen.
final class MemoryRateLimitStore: RateLimitStore {
    private struct State {
        var buckets: [BucketKey: UpstreamBucket] = [:]
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

    func reserve(_ draws: [BucketDraw], maxWait: TimeInterval) -> Reservation {
        let moment = now()
        return state.withLock { state in
            sweep(&state, now: moment)
            var buckets = draws.map { bucket(state, $0, moment) }
            let (decision, slot, binding) = UpstreamBucket.reserve(&buckets, now: moment, maxWait: maxWait)
            if case .admit = decision {
                for (draw, bucket) in zip(draws, buckets) { state.buckets[draw.key] = bucket }
            }
            return Reservation(
                decision: decision, slot: slot.timeIntervalSince1970, binding: binding, used: buckets.map { $0.used(now: moment) },
                admission: buckets.first?.admissions ?? 0
            )
        }
    }

    /// One token bucket, without suspending (the inbound limit per gateway key).
    func reserve(_ key: BucketKey, size: TokenBucket.Size, maxWait: TimeInterval) -> BucketDecision {
        reserve([BucketDraw(key: key, shape: .rate(size))], maxWait: maxWait).decision
    }

    func block(_ draw: BucketDraw, forSeconds seconds: TimeInterval) {
        let moment = now()
        state.withLock { state in
            var bucket = bucket(state, draw, moment)
            bucket.block(until: moment.addingTimeInterval(seconds), now: moment)
            state.buckets[draw.key] = bucket
        }
    }

    func reconcile(_ draw: BucketDraw, sentAt: TimeInterval, admission: Int, budget: UpstreamBudget) {
        let moment = now()
        state.withLock { state in
            var bucket = bucket(state, draw, moment)
            bucket.reconcile(
                remaining: budget.remaining, before: moment.addingTimeInterval(budget.resetIn), sentAt: Date(timeIntervalSince1970: sentAt),
                admission: admission, now: moment
            )
            state.buckets[draw.key] = bucket
        }
    }

    func restamp(_ draws: [BucketDraw], slot: TimeInterval, lateBy: TimeInterval) {
        let moment = now()
        let (from, to) = (Date(timeIntervalSince1970: slot), Date(timeIntervalSince1970: slot + lateBy))
        state.withLock { state in
            for draw in draws {
                var bucket = bucket(state, draw, moment)
                bucket.restamp(from: from, to: to)
                state.buckets[draw.key] = bucket
            }
        }
    }

    func usage(_ draws: [BucketDraw]) -> [BucketUsage] {
        let moment = now()
        return state.withLock { state in
            draws.map { draw in
                let bucket = bucket(state, draw, moment)
                return BucketUsage(used: bucket.used(now: moment), nextFree: bucket.nextSlot(now: moment))
            }
        }
    }

    /// The stored bucket, or a fresh one; a shape changed by config starts afresh.
    private func bucket(_ state: State, _ draw: BucketDraw, _ now: Date) -> UpstreamBucket {
        if let existing = state.buckets[draw.key], existing.shape == draw.shape { return existing }
        return UpstreamBucket(draw.shape, now: now)
    }

    private func sweep(_ state: inout State, now: Date) {
        guard now.timeIntervalSince(state.lastSweep) >= sweepInterval else { return }
        state.lastSweep = now
        state.buckets = state.buckets.filter { !$0.value.isIdle(now: now) }
    }
}
