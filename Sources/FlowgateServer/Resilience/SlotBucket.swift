import Foundation

/// What a bucket says to a call: go (after waiting this long, 0 = now), or not within the wait allowed.
enum BucketDecision: Sendable, Hashable {
    /// Go after waiting this long (0: now).
    case admit(wait: TimeInterval)
    /// Not within the allowed wait; try again after this long.
    case reject(retryAfter: TimeInterval)
}

/// A bucket as a schedule of slots (``TokenBucket``, ``WindowBucket``): when a call asked for now may
/// go, and the record of one that goes. Reserving is the same for every shape.
protocol SlotBucket {
    /// When a call asked for at `now` may go.
    func nextSlot(now: Date) -> Date
    /// Records a call that goes at `instant` (no earlier than ``nextSlot(now:)``).
    mutating func take(at instant: Date)
}

extension SlotBucket {
    /// Reserves the next slot for a call asked for at `now`, unless that is more than `maxWait` away;
    /// a refusal takes nothing.
    mutating func reserve(now: Date, maxWait: TimeInterval) -> BucketDecision {
        let slot = nextSlot(now: now)
        let wait = slot.timeIntervalSince(now)
        guard wait <= maxWait else { return .reject(retryAfter: wait) }
        take(at: slot)
        return .admit(wait: wait)
    }
}
