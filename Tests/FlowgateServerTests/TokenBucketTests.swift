import FlowgateCore
import Foundation
import Synchronization
import Testing

@testable import FlowgateServer

@Suite struct TokenBucketTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func aFullBucketLetsTheBurstThroughThenTheRate() {
        var bucket = TokenBucket(size: .init(ratePerSecond: 2, burst: 3), now: t0)
        for _ in 0..<3 { #expect(bucket.reserve(now: t0, maxWait: 0) == .admit(wait: 0)) }
        #expect(bucket.reserve(now: t0, maxWait: 0) == .reject(retryAfter: 0.5))
        #expect(bucket.reserve(now: t0.addingTimeInterval(0.5), maxWait: 0) == .admit(wait: 0))
    }

    @Test func waitersGetSlotsInArrivalOrderAndRefusedOnesTakeNothing() {
        var bucket = TokenBucket(size: .init(ratePerSecond: 1, burst: 1), now: t0)
        #expect(bucket.reserve(now: t0, maxWait: 2) == .admit(wait: 0))
        #expect(bucket.reserve(now: t0, maxWait: 2) == .admit(wait: 1))
        #expect(bucket.reserve(now: t0, maxWait: 2) == .admit(wait: 2))
        #expect(bucket.reserve(now: t0, maxWait: 2) == .reject(retryAfter: 3))
        #expect(bucket.reserve(now: t0, maxWait: 2) == .reject(retryAfter: 3), "the refusal did not move the queue")
        #expect(bucket.reserve(now: t0.addingTimeInterval(3), maxWait: 0) == .admit(wait: 0))
    }

    @Test func anUpstreamBlockStopsEverythingUntilItEndsAndEmptiesTheBucket() {
        var bucket = TokenBucket(size: .init(ratePerSecond: 4, burst: 100), now: t0)
        bucket.block(until: t0.addingTimeInterval(300))
        #expect(bucket.reserve(now: t0.addingTimeInterval(10), maxWait: 2) == .reject(retryAfter: 290))
        #expect(bucket.reserve(now: t0.addingTimeInterval(300), maxWait: 0) == .admit(wait: 0))
        #expect(bucket.reserve(now: t0.addingTimeInterval(300), maxWait: 0) == .reject(retryAfter: 0.25), "no burst right after a block")
    }

    @Test func anIdleBucketIsFullAgain() {
        var bucket = TokenBucket(size: .init(ratePerSecond: 1, burst: 5), now: t0)
        _ = bucket.reserve(now: t0, maxWait: 0)
        #expect(!bucket.isIdle(now: t0))
        #expect(bucket.isIdle(now: t0.addingTimeInterval(1)))
    }

    /// Whatever the arrival pattern, no window of `window` seconds admits more than `burst + rate × window`
    /// (here sizes that fit 30/min, 10/min and 5/30 s windows).
    @Test(arguments: [(0.3333, 10, 60.0, 30), (0.1, 4, 60.0, 10), (0.1, 2, 30.0, 5)])
    func randomArrivalsNeverExceedTheWindow(rate: Double, burst: Int, window: Double, budget: Int) {
        var generator = SplitMix(seed: UInt64(budget))
        for pattern in 0..<40 {
            var bucket = TokenBucket(size: .init(ratePerSecond: rate, burst: burst), now: t0)
            var now = t0
            var admitted: [Date] = []
            for _ in 0..<400 {
                // Bursts, trickles and pauses: gaps from 0 to ~2 windows, mostly short.
                let gap = pattern % 3 == 0 ? Double(generator.next() % 1000) / 1000 : Double(generator.next() % 10_000) / 1000 * (window / 20)
                now = now.addingTimeInterval(gap)
                let maxWait = Double(generator.next() % 3)
                if case .admit(let wait) = bucket.reserve(now: now, maxWait: maxWait) { admitted.append(now.addingTimeInterval(wait)) }
            }
            admitted.sort()
            var start = 0
            for end in admitted.indices {
                while admitted[end].timeIntervalSince(admitted[start]) >= window { start += 1 }
                #expect(end - start + 1 <= budget, "pattern \(pattern): \(end - start + 1) calls within \(window) s")
                if end - start + 1 > budget { return }
            }
        }
    }
}

/// A small deterministic generator, so a failing pattern can be replayed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct CircuitBreakerTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let settings = CircuitBreaker.Settings(failureThreshold: 3, cooldown: 10, probeTimeout: 30)

    @Test func consecutiveFailuresOpenItAndASuccessResetsTheCount() {
        var breaker = CircuitBreaker(settings: settings)
        breaker.record(success: false, isProbe: false, now: t0)
        breaker.record(success: false, isProbe: false, now: t0)
        breaker.record(success: true, isProbe: false, now: t0)
        breaker.record(success: false, isProbe: false, now: t0)
        breaker.record(success: false, isProbe: false, now: t0)
        #expect(breaker.circuit == .closed)
        breaker.record(success: false, isProbe: false, now: t0)
        #expect(breaker.circuit == .open)
        #expect(breaker.acquire(now: t0.addingTimeInterval(4)) == .refused(retryAfter: 6))
    }

    @Test func afterTheCooldownOneProbeDecides() {
        var breaker = CircuitBreaker(settings: settings)
        for _ in 0..<3 { breaker.record(success: false, isProbe: false, now: t0) }
        let later = t0.addingTimeInterval(10)
        #expect(breaker.acquire(now: later) == .allowed(isProbe: true))
        #expect(breaker.circuit == .halfOpen)
        #expect(breaker.acquire(now: later) == .refused(retryAfter: 1), "one probe at a time")
        breaker.record(success: false, isProbe: false, now: later)
        #expect(breaker.circuit == .halfOpen, "a straggler from before does not decide")
        breaker.record(success: false, isProbe: true, now: later)
        #expect(breaker.circuit == .open)
        let again = later.addingTimeInterval(10)
        #expect(breaker.acquire(now: again) == .allowed(isProbe: true))
        breaker.record(success: true, isProbe: true, now: again)
        #expect(breaker.circuit == .closed)
        #expect(breaker.acquire(now: again) == .allowed(isProbe: false))
    }

    @Test func aProbeThatNeverReportsIsReplaced() {
        var breaker = CircuitBreaker(settings: settings)
        for _ in 0..<3 { breaker.record(success: false, isProbe: false, now: t0) }
        #expect(breaker.acquire(now: t0.addingTimeInterval(10)) == .allowed(isProbe: true))
        #expect(breaker.acquire(now: t0.addingTimeInterval(39)) == .refused(retryAfter: 1))
        #expect(breaker.acquire(now: t0.addingTimeInterval(40)) == .allowed(isProbe: true))
    }
}

@Suite struct MemoryRateLimitStoreTests {
    @Test func idleBucketsAreForgottenSoMemoryStaysBounded() {
        let clock = ManualClock()
        let store = MemoryRateLimitStore(now: { clock.date }, sweepInterval: 1)
        for index in 0..<1000 {
            _ = store.reserve(BucketKey(credential: "c\(index)", bucket: "default"), size: .init(ratePerSecond: 10, burst: 5), maxWait: 0)
        }
        #expect(store.count == 1000)
        clock.advance(by: .seconds(2))
        _ = store.reserve(BucketKey(credential: "c0", bucket: "default"), size: .init(ratePerSecond: 10, burst: 5), maxWait: 0)
        #expect(store.count == 1)
    }

    @Test func otherCredentialsAreUnaffectedByABlock() {
        let store = MemoryRateLimitStore()
        let size = TokenBucket.Size(ratePerSecond: 4, burst: 100)
        store.block(BucketDraw(key: BucketKey(credential: "a", bucket: "default"), shape: .rate(size)), forSeconds: 300)
        if case .admit = store.reserve(BucketKey(credential: "a", bucket: "default"), size: size, maxWait: 2) {
            Issue.record("blocked token admitted")
        }
        #expect(store.reserve(BucketKey(credential: "b", bucket: "default"), size: size, maxWait: 2) == .admit(wait: 0))
    }
}
