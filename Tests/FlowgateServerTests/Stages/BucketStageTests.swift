import FlowgateCore
import FlowgateProviders
import Foundation
import Testing

@testable import FlowgateServer

@Suite struct BucketStageTests {
    func stage(_ clock: ManualClock, maxWait: Duration = .seconds(2), metrics: GatewayMetrics = GatewayMetrics()) -> BucketStage {
        BucketStage(
            owner: StageFixtures.owner, buckets: StageFixtures.buckets(["reads": .rate(.init(ratePerSecond: 1, burst: 1))]),
            store: MemoryRateLimitStore(now: { clock.date }), maxWait: maxWait, clock: clock, metrics: metrics
        )
    }

    @Test func anEmptyBucketMakesTheCallWaitForItsSlotOnTheClock() async throws {
        let clock = ManualClock()
        let bucket = stage(clock)
        let budget = StageFixtures.budget(clock, .seconds(10))
        try await bucket.admit(StageFixtures.read(), budget)
        let second = Task { try await bucket.admit(StageFixtures.read(), budget) }
        try await clock.waitForSleepers()
        clock.advance(by: .milliseconds(999))
        #expect(clock.sleeperCount == 1, "the slot is 1 s after the first call")
        clock.advance(by: .milliseconds(1))
        _ = try await second.value
    }

    @Test func aWaitLongerThanAllowedIsA429NamingTheBucketAndTakesNothing() async throws {
        let clock = ManualClock()
        let metrics = GatewayMetrics()
        let bucket = stage(clock, maxWait: .milliseconds(500), metrics: metrics)
        let budget = StageFixtures.budget(clock, .seconds(10))
        try await bucket.admit(StageFixtures.read(), budget)
        let error = await #expect(throws: GatewayError.self) { try await bucket.admit(StageFixtures.read(), budget) }
        #expect(error?.code == .rateLimited)
        #expect(error?.retryAfterSeconds == 1)
        #expect(error?.details?.first?.issue == "geo/reads")
        clock.advance(by: .seconds(1))
        try await bucket.admit(StageFixtures.read(), budget)
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        #expect(text.contains(#"flowgate_ratelimit_rejections_total{tenant="acme",bucket="geo/reads"} 1"#))
    }

    @Test func theWaitNeverRunsPastTheCallsBudget() async throws {
        let clock = ManualClock()
        let bucket = stage(clock, maxWait: .seconds(5))
        try await bucket.admit(StageFixtures.read(), StageFixtures.budget(clock, .seconds(10)))
        let error = await #expect(throws: GatewayError.self) {
            try await bucket.admit(StageFixtures.read(), StageFixtures.budget(clock, .milliseconds(600)))
        }
        #expect(error?.code == .rateLimited, "the slot 1 s away is past the 600 ms the call has left")
    }

    @Test func anUpstream429BlocksTheBucketForItsRetryAfter() async throws {
        let clock = ManualClock()
        let bucket = stage(clock, maxWait: .zero)
        let budget = StageFixtures.budget(clock, .seconds(10))
        let answer = try await bucket.run(StageFixtures.read(), budget) { StageFixtures.reply(429, headers: ["retry-after": "30"]) }
        #expect(answer.status == 429)
        clock.advance(by: .seconds(29))
        let error = await #expect(throws: GatewayError.self) { try await bucket.admit(StageFixtures.read(), budget) }
        #expect(error?.retryAfterSeconds == 1)
        clock.advance(by: .seconds(1))
        try await bucket.admit(StageFixtures.read(), budget)
    }

    /// The gateway woke 600 ms after the slot (an overloaded machine): the call's window counts from
    /// when it left, so the call after it keeps a whole window from it as the upstream sees it.
    @Test func aCallThatLeavesLateHoldsItsWindowFromWhenItLeft() async throws {
        let clock = ManualClock()
        let store = MemoryRateLimitStore(now: { clock.date })
        let metrics = GatewayMetrics()
        let bucket = BucketStage(
            owner: StageFixtures.owner, buckets: StageFixtures.buckets(["reads": .window(.init(limit: 1, window: 10, margin: 0.4))]),
            store: store, maxWait: .seconds(20), clock: clock, metrics: metrics
        )
        _ = try await bucket.run(StageFixtures.read(), StageFixtures.budget(clock, .seconds(30))) { StageFixtures.reply(200) }
        let late = Task { try await bucket.run(StageFixtures.read(), StageFixtures.budget(clock, .seconds(30))) { StageFixtures.reply(200) } }
        try await clock.waitForSleepers()
        clock.advance(by: .seconds(11))
        _ = try await late.value
        let next = store.usage([try #require(bucket.buckets["reads"])]).first?.nextFree
        let expected = clock.date.addingTimeInterval(10.4)
        #expect(abs((next ?? .distantPast).timeIntervalSince(expected)) < 1e-6, "10.4 s from when it left (11 s), not from its slot (10.4 s)")
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        #expect(text.contains(#"flowgate_ratelimit_late_total{tenant="acme",bucket="geo/reads"} 1"#))
    }
}
