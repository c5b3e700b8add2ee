import Foundation

/// One token bucket as a pure state machine: GCRA (the generic cell rate algorithm), which is a token
/// bucket expressed as one timestamp — the theoretical arrival time of the next request at the
/// sustained rate.
///
/// - `burst` requests go at once on a full bucket, then one per `1 / rate` seconds. In any window of
///   `W` seconds at most `burst + rate × W` requests are admitted (rounded down). It is the shape for
///   limits stated as a rate (gateway keys, an upstream that documents none); an upstream's window is
///   kept by a ``WindowBucket``, which can use the whole of it.
/// - A request that finds the bucket empty is given the next free slot: waiting is FIFO by
///   construction, because each admission moves the slot after it. A request whose slot is further
///   away than it may wait is refused and takes nothing.
/// - An upstream's "stop until" (a 429's `Retry-After`, a zero remaining budget) moves the next slot
///   to that instant, with the bucket empty behind it.
struct TokenBucket: SlotBucket, Sendable, Hashable {
    struct Size: Sendable, Hashable {
        var ratePerSecond: Double
        var burst: Int

        /// Seconds between requests at the sustained rate.
        var interval: TimeInterval { 1 / ratePerSecond }
        /// How far ahead of the sustained schedule a burst may run.
        var tolerance: TimeInterval { Double(burst - 1) * interval }
    }

    let size: Size
    private var interval: TimeInterval { size.interval }
    private var tolerance: TimeInterval { size.tolerance }
    /// When the next request would be due at the sustained rate; in the past = full bucket.
    private(set) var theoreticalArrival: Date

    init(size: Size, now: Date) {
        self.size = size
        self.theoreticalArrival = now
    }

    /// When a call asked for at `now` may go: at once while burst is left, else at its sustained turn.
    func nextSlot(now: Date) -> Date {
        max(now, theoreticalArrival.addingTimeInterval(-tolerance))
    }

    /// Records a call that goes at `instant` (no earlier than ``nextSlot(now:)``).
    mutating func take(at instant: Date) {
        theoreticalArrival = max(theoreticalArrival, instant).addingTimeInterval(interval)
    }

    /// Tokens of the burst in use at `now` (reserved calls included).
    func used(now: Date) -> Int {
        let owed = theoreticalArrival.timeIntervalSince(now) / interval
        return min(size.burst, max(0, Int(owed.rounded(.up))))
    }

    /// No request before `until`, and none of the burst left after it.
    mutating func block(until: Date) {
        theoreticalArrival = max(theoreticalArrival, until.addingTimeInterval(tolerance))
    }

    /// When nothing is reserved and the bucket is full again: state worth forgetting.
    func isIdle(now: Date) -> Bool {
        theoreticalArrival <= now
    }
}
