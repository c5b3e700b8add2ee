import Foundation

/// One token bucket as a pure state machine: GCRA (the generic cell rate algorithm), which is a token
/// bucket expressed as one timestamp — the theoretical arrival time of the next request at the
/// sustained rate.
///
/// - `burst` requests go at once on a full bucket, then one per `1 / rate` seconds. In any window of
///   `W` seconds at most `burst + rate × W` requests are admitted (rounded down), which is how
///   `Routes/<provider>.yaml` keeps an upstream's own sliding window honest.
/// - A request that finds the bucket empty is given the next free slot: waiting is FIFO by
///   construction, because each admission moves the slot after it. A request whose slot is further
///   away than it may wait is refused and takes nothing.
/// - An upstream's "stop until" (a 429's `Retry-After`, a zero remaining budget) moves the next slot
///   to that instant, with the bucket empty behind it.
struct TokenBucket: Sendable, Hashable {
    struct Size: Sendable, Hashable {
        var ratePerSecond: Double
        var burst: Int

        /// Seconds between requests at the sustained rate.
        var interval: TimeInterval { 1 / ratePerSecond }
        /// How far ahead of the sustained schedule a burst may run.
        var tolerance: TimeInterval { Double(burst - 1) * interval }
    }

    enum Decision: Sendable, Hashable {
        /// Go after waiting this long (0: now).
        case admit(wait: TimeInterval)
        /// Not within the allowed wait; try again after this long.
        case reject(retryAfter: TimeInterval)
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

    mutating func reserve(now: Date, maxWait: TimeInterval) -> Decision {
        let due = max(theoreticalArrival, now)
        let wait = max(0, due.timeIntervalSince(now) - tolerance)
        guard wait <= maxWait else { return .reject(retryAfter: wait) }
        theoreticalArrival = due.addingTimeInterval(interval)
        return .admit(wait: wait)
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
