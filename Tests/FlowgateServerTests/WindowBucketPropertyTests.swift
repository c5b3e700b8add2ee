import Foundation
import Testing

@testable import FlowgateServer

/// The window bucket against every window the route tables ship, under random arrival patterns driven
/// by a seeded generator (a failing pattern can be replayed): no window of the upstream's length ever
/// holds more than its limit, and under sustained demand the whole budget is used.
@Suite struct WindowBucketPropertyTests {
    /// (limit, seconds): Geotareas reads, writes, logins; Cloudflare; Bitrix24 per key and per portal.
    static let shippedWindows: [(Int, Double)] = [(30, 60), (10, 60), (5, 30), (1200, 300), (300, 60), (10, 1)]
    static let margin: TimeInterval = 0.1
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test(arguments: shippedWindows)
    func randomArrivalsNeverPutMoreThanTheLimitInAWindow(limit: Int, seconds: Double) {
        var generator = SplitMix(seed: UInt64(limit) &* 1_000 &+ UInt64(seconds))
        for pattern in 0..<24 {
            var window = WindowBucket(size: .init(limit: limit, window: seconds, margin: Self.margin))
            var now = t0
            var admitted: [Date] = []
            for _ in 0..<(limit * 8) {
                // Bursts, trickles and pauses: gaps from none to a few windows' average spacing.
                let pace = seconds / Double(limit)
                let gap = pattern % 3 == 0 ? 0 : Double(generator.next() % 1000) / 1000 * pace * Double(1 + pattern % 5)
                now = now.addingTimeInterval(gap)
                let maxWait = Double(generator.next() % 4) * pace
                if case .admit(let wait) = window.reserve(now: now, maxWait: maxWait) { admitted.append(now.addingTimeInterval(wait)) }
            }
            let busiest = Self.busiest(admitted.sorted(), within: seconds)
            #expect(busiest <= limit, "pattern \(pattern): \(busiest) calls within \(seconds) s")
            if busiest > limit { return }
        }
    }

    /// Sustained demand: callers arrive at random, never fewer than the budget can serve, and wait as
    /// long as it takes. After the first window every slot is reused the instant it frees (the calls
    /// `limit` apart are exactly one window plus the margin apart), and every window of the upstream's
    /// length in the steady state holds `limit − 1` calls or more.
    @Test(arguments: shippedWindows)
    func underSaturationEveryWindowOfTheSteadyStateIsFull(limit: Int, seconds: Double) {
        var generator = SplitMix(seed: UInt64(limit) &+ UInt64(seconds * 7))
        for _ in 0..<8 {
            var window = WindowBucket(size: .init(limit: limit, window: seconds, margin: Self.margin))
            // The first window's callers arrive at random, at least one margin apart (within one
            // margin, the upstream's jitter could swap them); after that the queue never empties.
            var now = t0
            var admitted: [Date] = []
            for index in 0..<(limit * 6) {
                let spread = index < limit ? (seconds - Self.margin * Double(limit)) / Double(limit) : 0
                now = now.addingTimeInterval(Self.margin * 1.01 + Double(generator.next() % 1000) / 1000 * max(0, spread))
                guard case .admit(let wait) = window.reserve(now: now, maxWait: .infinity) else { return }
                admitted.append(now.addingTimeInterval(wait))
            }
            let steady = Array(admitted.dropFirst(2 * limit))
            for index in limit..<admitted.count {
                let apart = admitted[index].timeIntervalSince(admitted[index - limit])
                #expect(abs(apart - (seconds + Self.margin)) < 1e-6 || index < 2 * limit, "call \(index) went \(apart) s after call \(index - limit)")
            }
            // The fewest calls in a window (t, t + seconds] are found just after a call leaves it.
            let last = steady.last ?? t0
            var end = 0
            for (index, start) in steady.enumerated() where start.addingTimeInterval(seconds) <= last {
                while end < steady.count, steady[end] <= start.addingTimeInterval(seconds) { end += 1 }
                let held = end - index - 1
                #expect(held >= limit - 1, "a steady-state window after \(start.timeIntervalSince(t0)) s held \(held) of \(limit)")
                if held < limit - 1 { return }
            }
            #expect(Self.busiest(admitted, within: seconds) <= limit)
        }
    }

    /// Callers bunched tighter than the margin keep their bunching: a window of the upstream's length
    /// may then miss a bunch, but every window one margin longer holds the whole limit.
    @Test func bunchedCallersStillUseTheWholeBudgetPerWindowAndMargin() {
        var window = WindowBucket(size: .init(limit: 30, window: 60, margin: Self.margin))
        let admitted = (0..<300).compactMap { _ -> Date? in
            guard case .admit(let wait) = window.reserve(now: t0, maxWait: .infinity) else { return nil }
            return t0.addingTimeInterval(wait)
        }
        #expect(admitted.count == 300)
        for round in 0..<10 {
            let start = t0.addingTimeInterval(Double(round) * (60 + Self.margin))
            let held = admitted.filter { $0 >= start && $0 < start.addingTimeInterval(60 + Self.margin) }.count
            #expect(held == 30, "round \(round): \(held)")
        }
        #expect(Self.busiest(admitted, within: 60) == 30)
    }

    /// The most calls any window of `seconds` (closed at both ends: stricter than any upstream) holds.
    static func busiest(_ times: [Date], within seconds: TimeInterval) -> Int {
        var busiest = 0
        var start = 0
        for end in times.indices {
            while times[end].timeIntervalSince(times[start]) > seconds { start += 1 }
            busiest = max(busiest, end - start + 1)
        }
        return busiest
    }
}
