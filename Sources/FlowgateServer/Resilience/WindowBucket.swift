import Foundation

/// One window bucket as a pure state machine: at most `limit` calls in any `window` seconds, kept by
/// remembering when each of the last `limit` calls went (a ``SlotRing``).
///
/// - A call goes at once while the window has room; after that, the next free slot is the oldest
///   admission's instant plus the window plus `margin` (the jitter between the instant the gateway lets
///   a call go and the instant the upstream counts it). So no window of the upstream's length ever holds
///   more than `limit` calls, and under load every slot is used the instant it frees.
/// - A call that must wait is given the next free slot and takes it at once (it becomes the newest
///   admission), so waiters are FIFO by construction and each goes exactly when its slot leaves the
///   window. A caller refused because its slot is too far away takes nothing.
/// - An upstream that reports less budget than the bucket believes is believed
///   (``limit(remaining:before:sentAt:admittedAfter:)``); a 429 is the same with nothing remaining.
///   Slots taken that way free one at a time from the upstream's reset at the window's pace, never as
///   a burst.
struct WindowBucket: SlotBucket, Sendable {
    struct Size: Sendable, Hashable {
        var limit: Int
        var window: TimeInterval
        var margin: TimeInterval

        /// How long one admission holds its slot.
        var hold: TimeInterval { window + margin }
        /// The window's average spacing between calls: the pace at which slots the upstream claimed free.
        var pace: TimeInterval { window / Double(limit) }
    }

    let size: Size
    private(set) var slots: SlotRing
    /// How many calls this bucket has admitted: a reservation's number, so that a later correction
    /// knows how many calls were admitted after it (the ring cannot say: corrections place slots too).
    private(set) var admissions: Int = 0

    init(size: Size) {
        self.size = size
        self.slots = SlotRing(capacity: size.limit)
    }

    /// When a call asked for at `now` may go.
    func nextSlot(now: Date) -> Date {
        guard slots.isFull, let oldest = slots.first else { return now }
        return max(now, oldest.addingTimeInterval(size.hold))
    }

    /// Records a call that goes at `instant` (no earlier than ``nextSlot(now:)``): it takes the slot of
    /// the oldest admission.
    mutating func take(at instant: Date) {
        if slots.isFull { slots.removeFirst() }
        slots.insert(instant)
        admissions += 1
    }

    /// Slots in use at `now`: calls that went within the last `hold` seconds, and calls waiting for theirs.
    func used(now: Date) -> Int {
        slots.count(after: now.addingTimeInterval(-size.hold))
    }

    /// Believes the upstream: after a call sent at `sentAt`, it reports that only `remaining` more calls
    /// fit before `reset` (when its window next frees a call).
    ///
    /// The bucket counts what it would let through before `reset`: calls already given a slot after
    /// `sentAt` (at most `admittedAfter`, the calls admitted after that one: slots an earlier correction
    /// placed are not calls the upstream has yet to see), and places that free before `reset` (empty
    /// ones, and admissions whose slot frees by then). If that is more than `remaining`, it keeps the
    /// places that free first (empty ones, then the oldest) and takes the rest until the reset, freeing
    /// them from there one per ``Size/pace`` (the upstream's reset names when its first call frees, not
    /// the others).
    mutating func limit(remaining: Int, before reset: Date, sentAt: Date, admittedAfter: Int) {
        // Upstreams state the reset in whole seconds, rounded up: a slot of this bucket freeing within
        // the second before it may be the very one the upstream means, so it is not counted as extra.
        let horizon = reset.addingTimeInterval(-Self.resetResolution)
        let promised = min(max(0, admittedAfter), max(0, slots.count(after: sentAt) - (slots.count - slots.count(before: horizon))))
        let freeingAdmissions = slots.count(before: horizon.addingTimeInterval(-size.hold))
        let empty = size.limit - slots.count
        let freeing = empty + freeingAdmissions
        let excess = min(promised + freeing - max(0, remaining), freeing)
        guard excess > 0 else { return }
        let keptAdmissions = max(0, freeing - excess - empty)
        let instants = slots.elements
        let taken = (0..<excess).map { reset.addingTimeInterval(Double($0) * size.pace - size.hold) }
        slots = SlotRing(capacity: size.limit, instants: Array(instants[..<keptAdmissions] + instants[freeingAdmissions...]) + taken)
    }

    /// A call that left at `actual`, later than the slot it took (`slot`): its admission is moved to
    /// when it left, so the call `limit` after it keeps a whole window from it as the upstream sees it.
    mutating func restamp(from slot: Date, to actual: Date) {
        var instants = slots.elements
        // The slot came back through Unix-time seconds: the same instant, give or take rounding.
        guard actual > slot, let index = instants.firstIndex(where: { abs($0.timeIntervalSince(slot)) < 1e-6 }) else { return }
        instants[index] = actual
        slots = SlotRing(capacity: size.limit, instants: instants)
    }

    /// How precisely upstreams state their reset (whole seconds).
    static let resetResolution: TimeInterval = 1

    /// The upstream refused (a 429): nothing more before `until`, then one call per ``Size/pace``.
    mutating func block(until: Date, now: Date) {
        limit(remaining: 0, before: until, sentAt: now, admittedAfter: 0)
    }

    /// Nothing in use and nothing reserved: state worth forgetting.
    func isIdle(now: Date) -> Bool {
        guard let newest = slots.last else { return true }
        return newest.addingTimeInterval(size.hold) <= now
    }
}
