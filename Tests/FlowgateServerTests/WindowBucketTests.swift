import Foundation
import Testing

@testable import FlowgateServer

@Suite struct WindowBucketTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func bucket(_ limit: Int, _ window: TimeInterval, margin: TimeInterval = 0) -> WindowBucket {
        WindowBucket(size: .init(limit: limit, window: window, margin: margin))
    }

    @Test func theWholeLimitGoesAtOnceThenEachCallWhenASlotLeavesTheWindow() {
        var window = bucket(3, 10, margin: 0.5)
        for _ in 0..<3 { #expect(window.reserve(now: t0, maxWait: 0) == .admit(wait: 0)) }
        // Three waiters, FIFO: each takes the slot the oldest admission frees, window + margin later.
        #expect(window.reserve(now: t0, maxWait: 100) == .admit(wait: 10.5))
        #expect(window.reserve(now: t0.addingTimeInterval(1), maxWait: 100) == .admit(wait: 9.5))
        #expect(window.reserve(now: t0.addingTimeInterval(2), maxWait: 100) == .admit(wait: 8.5))
        #expect(window.reserve(now: t0.addingTimeInterval(2), maxWait: 100) == .admit(wait: 19), "the next round: 10.5 + 10.5")
    }

    @Test func aRefusedCallTakesNothing() {
        var window = bucket(2, 60)
        _ = window.reserve(now: t0, maxWait: 0)
        _ = window.reserve(now: t0.addingTimeInterval(20), maxWait: 0)
        #expect(window.reserve(now: t0.addingTimeInterval(30), maxWait: 2) == .reject(retryAfter: 30))
        #expect(window.reserve(now: t0.addingTimeInterval(30), maxWait: 2) == .reject(retryAfter: 30), "the refusal moved nothing")
        #expect(window.used(now: t0.addingTimeInterval(30)) == 2)
        #expect(window.reserve(now: t0.addingTimeInterval(60), maxWait: 0) == .admit(wait: 0), "the first call's slot frees at 60 s")
        #expect(window.nextSlot(now: t0.addingTimeInterval(60)) == t0.addingTimeInterval(80))
    }

    @Test func spreadCallsFreeTheirSlotsOneByOne() {
        var window = bucket(3, 10)
        for offset in [0.0, 2, 4] { _ = window.reserve(now: t0.addingTimeInterval(offset), maxWait: 0) }
        let waits = (0..<3).map { _ in window.reserve(now: t0.addingTimeInterval(5), maxWait: 100) }
        #expect(waits == [.admit(wait: 5), .admit(wait: 7), .admit(wait: 9)], "each waiter goes when its slot leaves the window")
    }

    @Test func usedCountsCallsInTheWindowAndCallsWaiting() {
        var window = bucket(3, 10, margin: 1)
        _ = window.reserve(now: t0, maxWait: 0)
        _ = window.reserve(now: t0.addingTimeInterval(5), maxWait: 0)
        #expect(window.used(now: t0.addingTimeInterval(5)) == 2)
        #expect(window.used(now: t0.addingTimeInterval(11)) == 1, "the first call held its slot 10 s + 1 s of margin")
        #expect(!window.isIdle(now: t0.addingTimeInterval(15.9)))
        #expect(window.isIdle(now: t0.addingTimeInterval(16)))
    }

    /// Someone else spent 25 of the 30 calls the upstream allows this minute: the first answer says 4
    /// remain until the reset, and the bucket believes it rather than its own 29.
    @Test func theUpstreamIsBelievedWhenItSaysLessRemains() {
        var window = bucket(30, 60, margin: 0.1)
        _ = window.reserve(now: t0, maxWait: 0)
        let reset = t0.addingTimeInterval(20)
        window.limit(remaining: 4, before: reset, sentAt: t0, admittedAfter: 0)
        for _ in 0..<4 { #expect(window.reserve(now: t0.addingTimeInterval(1), maxWait: 0) == .admit(wait: 0)) }
        #expect(window.nextSlot(now: t0.addingTimeInterval(1)) == reset, "nothing more before the reset")
        // After the reset the slots the upstream claimed free at the window's pace (60 s / 30), not at once.
        let waits = (0..<3).map { _ in window.reserve(now: t0.addingTimeInterval(1), maxWait: 100) }
        #expect(waits == [.admit(wait: 19), .admit(wait: 21), .admit(wait: 23)])
    }

    /// What is kept for before the reset is what frees first: room now, rather than a slot that frees
    /// later (here an admission 30 s old, whose slot frees 30.1 s before the upstream's reset).
    @Test func theRemainingCallsTheUpstreamAllowsAreUsableAtOnce() {
        var window = bucket(30, 60, margin: 0.1)
        _ = window.reserve(now: t0, maxWait: 0)
        let now = t0.addingTimeInterval(30)
        _ = window.reserve(now: now, maxWait: 0)
        window.limit(remaining: 2, before: now.addingTimeInterval(60), sentAt: now, admittedAfter: 0)
        for _ in 0..<2 { #expect(window.reserve(now: now, maxWait: 0) == .admit(wait: 0)) }
        #expect(window.nextSlot(now: now) == now.addingTimeInterval(60), "nothing more before the reset")
        #expect(window.slots.count == 30)
    }

    /// Geotareas and Bitrix24 state the reset in whole seconds, rounded up: a window that agrees with the
    /// upstream must not take the reset's rounding for someone else's call.
    @Test func aResetRoundedUpToTheSecondIsNoCorrection() {
        var window = bucket(30, 60, margin: 0.1)
        let sent = t0.addingTimeInterval(0.2)
        _ = window.reserve(now: sent, maxWait: 0)
        // The upstream counted this one call: 29 remain until it leaves, at 60.2 s, said as 61 s.
        window.limit(remaining: 29, before: t0.addingTimeInterval(61), sentAt: sent, admittedAfter: 0)
        #expect(window.slots.elements == [sent], "nothing taken")
        for _ in 0..<29 { #expect(window.reserve(now: sent, maxWait: 0) == .admit(wait: 0)) }
    }

    /// A second answer about the same reset that agrees with the first takes nothing more: the slots the
    /// first correction placed are the upstream's own count, not calls it has yet to see.
    @Test func aSecondAnswerAboutTheSameResetIsNoNewCorrection() {
        var window = bucket(300, 60, margin: 0.15)
        _ = window.reserve(now: t0, maxWait: 0)
        let reset = t0.addingTimeInterval(60)
        // Another client spent 297 of the key's 300: 2 remain after this call.
        window.limit(remaining: 2, before: reset, sentAt: t0, admittedAfter: 0)
        let second = t0.addingTimeInterval(0.01)
        #expect(window.reserve(now: second, maxWait: 0) == .admit(wait: 0))
        window.limit(remaining: 1, before: reset, sentAt: second, admittedAfter: 0)
        #expect(window.reserve(now: t0.addingTimeInterval(0.02), maxWait: 0) == .admit(wait: 0), "the one the upstream still allows")
        #expect(window.nextSlot(now: t0.addingTimeInterval(0.02)) >= reset)
    }

    /// Calls admitted after the reporting one (and not yet seen by the upstream) count against what remains.
    @Test func callsAdmittedAfterTheReportingOneCountAgainstWhatRemains() {
        var window = bucket(30, 60, margin: 0.1)
        _ = window.reserve(now: t0, maxWait: 0)
        for _ in 0..<3 { _ = window.reserve(now: t0.addingTimeInterval(0.01), maxWait: 0) }
        window.limit(remaining: 5, before: t0.addingTimeInterval(60), sentAt: t0, admittedAfter: 3)
        for _ in 0..<2 { #expect(window.reserve(now: t0.addingTimeInterval(0.02), maxWait: 0) == .admit(wait: 0)) }
        #expect(window.reserve(now: t0.addingTimeInterval(0.02), maxWait: 0) != .admit(wait: 0), "5 remained, 3 of them already promised")
    }

    @Test func anUpstreamThatAgreesChangesNothing() {
        var window = bucket(3, 10)
        for _ in 0..<3 { _ = window.reserve(now: t0, maxWait: 0) }
        let before = window.slots.elements
        window.limit(remaining: 0, before: t0.addingTimeInterval(10), sentAt: t0, admittedAfter: 0)
        #expect(window.slots.elements == before, "a full window with nothing remaining is what the bucket knew")
        window.limit(remaining: 5, before: t0.addingTimeInterval(10), sentAt: t0, admittedAfter: 0)
        #expect(window.slots.elements == before, "more remaining than the bucket believes is never believed")
    }

    @Test func a429BlocksUntilItsRetryAfterThenTheWindowsPace() {
        var window = bucket(4, 8)
        _ = window.reserve(now: t0, maxWait: 0)
        window.block(until: t0.addingTimeInterval(30), now: t0)
        #expect(window.reserve(now: t0.addingTimeInterval(29), maxWait: 0) == .reject(retryAfter: 1))
        let waits = (0..<3).map { _ in window.reserve(now: t0.addingTimeInterval(29), maxWait: 100) }
        #expect(waits == [.admit(wait: 1), .admit(wait: 3), .admit(wait: 5)], "one call at the end of the block, then one per 8 s / 4")
    }

    /// A call that left 2 s after its slot holds its window from when it left.
    @Test func aLateCallHoldsItsWindowFromWhenItLeft() {
        var window = bucket(2, 10)
        _ = window.reserve(now: t0, maxWait: 0)
        _ = window.reserve(now: t0.addingTimeInterval(1), maxWait: 0)
        window.restamp(from: t0, to: t0.addingTimeInterval(2))
        #expect(window.nextSlot(now: t0.addingTimeInterval(3)) == t0.addingTimeInterval(11), "the call at 1 s is now the oldest")
        _ = window.reserve(now: t0.addingTimeInterval(11), maxWait: 0)
        #expect(window.nextSlot(now: t0.addingTimeInterval(11)) == t0.addingTimeInterval(12), "then the late one, from 2 s")
        window.restamp(from: t0.addingTimeInterval(99), to: t0.addingTimeInterval(100))
        #expect(window.slots.elements == [t0.addingTimeInterval(2), t0.addingTimeInterval(11)], "a slot it does not hold changes nothing")
    }

    @Test func aWindowBlockedForLongerThanItIsStillPacesAfterwards() {
        var window = bucket(2, 1)
        window.block(until: t0.addingTimeInterval(300), now: t0)
        #expect(window.nextSlot(now: t0) == t0.addingTimeInterval(300))
        _ = window.reserve(now: t0.addingTimeInterval(300), maxWait: 0)
        #expect(window.nextSlot(now: t0.addingTimeInterval(300)) == t0.addingTimeInterval(300.5))
    }
}

@Suite struct SlotRingTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func keepsTheLastInstantsInOrderAcrossWraparound() {
        var ring = SlotRing(capacity: 3)
        for offset in 0..<7 {
            if ring.isFull { ring.removeFirst() }
            ring.insert(t0.addingTimeInterval(Double(offset)))
        }
        #expect(ring.elements == [4, 5, 6].map { t0.addingTimeInterval($0) })
        ring.removeFirst()
        ring.insert(t0.addingTimeInterval(4.5))
        #expect(ring.elements == [4.5, 5, 6].map { t0.addingTimeInterval($0) }, "an earlier instant is shifted into place")
        #expect(ring.count(before: t0.addingTimeInterval(5)) == 1)
        #expect(ring.count(after: t0.addingTimeInterval(5)) == 1)
        #expect(ring.count(after: t0) == 3)
    }
}
