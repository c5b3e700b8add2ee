import Foundation
import Testing

@testable import FlowgateServer

@Suite struct StoreHealthTests {
    @Test func oneFailureDegradesAndOneProbeASecondMayReconnect() {
        var health = StoreHealth(probeInterval: 1)
        let start = Date(timeIntervalSince1970: 1000)
        func at(_ seconds: TimeInterval) -> Date { start.addingTimeInterval(seconds) }
        // (mutating calls are bound before #expect, which cannot take them)
        let firstTry = health.shouldTry(now: start)
        let lost = health.failed(now: start)
        #expect(firstTry && lost == .lost && health.isDegraded)
        let tooSoon = health.shouldTry(now: at(0.5))
        #expect(!tooSoon, "no database call until the probe is due")
        let probe = health.shouldTry(now: at(1))
        let secondCaller = health.shouldTry(now: at(1.1))
        #expect(probe, "the probe")
        #expect(!secondCaller, "one probe, not every caller")
        let stillLost = health.failed(now: at(1.2))
        #expect(stillLost == nil, "still lost: nothing new to report")
        let nextProbe = health.shouldTry(now: at(2.2))
        let recovered = health.succeeded(now: at(2.3))
        guard case .recovered(let after)? = recovered else {
            Issue.record("a successful probe reconnects: \(String(describing: recovered))")
            return
        }
        #expect(nextProbe && abs(after - 2.3) < 0.001, "degraded for 2.3 s")
        #expect(!health.isDegraded)
        let again = health.succeeded(now: at(3))
        #expect(again == nil)
    }

    @Test func aDegradedReplicaTakesItsShareOfTheBudget() {
        let rate = BucketShape.rate(TokenBucket.Size(ratePerSecond: 0.33, burst: 10))
        #expect(rate.share(of: 1) == rate)
        #expect(rate.share(of: 3) == .rate(TokenBucket.Size(ratePerSecond: 0.11, burst: 3)))
        #expect(BucketShape.rate(TokenBucket.Size(ratePerSecond: 1, burst: 2)).share(of: 5).limit == 1, "never an empty bucket")
        let window = BucketShape.window(WindowBucket.Size(limit: 30, window: 60, margin: 0.1))
        #expect(window.share(of: 3) == .window(WindowBucket.Size(limit: 10, window: 60, margin: 0.1)))
        #expect(window.share(of: 40).limit == 1, "never an empty window")
    }

    @Test func aStoreCallThatHangsIsAbandonedAtItsDeadline() async {
        // PostgresNIO queries ignore cancellation: the deadline must not wait for the body.
        let started = ContinuousClock.now
        await #expect(throws: ClusterDatabase.Timeout.self) {
            try await ClusterDatabase.within(.milliseconds(100)) {
                try? await Task.sleep(for: .seconds(30))
                return 1
            }
        }
        #expect(ContinuousClock.now - started < .seconds(20))
    }
}
