import FlowgateCore
import FlowgateProviders
import Testing

@testable import FlowgateServer

@Suite struct BreakerStageTests {
    func stage(_ clock: ManualClock, metrics: GatewayMetrics = GatewayMetrics()) -> BreakerStage {
        BreakerStage(
            owner: StageFixtures.owner, store: MemoryBreakerStore(now: { clock.date }),
            settings: .init(failureThreshold: 2, cooldown: 10), metrics: metrics
        )
    }

    @Test func repeatedFailuresOpenTheCircuitAndTheNextCallFailsFastUntilTheCooldownEnds() async throws {
        let clock = ManualClock()
        let metrics = GatewayMetrics()
        let breaker = stage(clock, metrics: metrics)
        let attempts = ScriptedAttempts([.reply(503), .failure(.timeout), .reply(200)])
        _ = try await breaker.run { () throws(UpstreamClient.Failure) in try attempts.next() }
        await #expect(throws: UpstreamClient.Failure.timeout) { try await breaker.run { () throws(UpstreamClient.Failure) in try attempts.next() } }
        let error = await #expect(throws: GatewayError.self) { try await breaker.run { () throws(UpstreamClient.Failure) in try attempts.next() } }
        #expect(error?.code == .upstreamUnavailable)
        #expect(error?.retryAfterSeconds == 10)
        #expect(attempts.count == 2, "the open circuit did not call upstream")
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        #expect(text.contains(#"flowgate_circuit_open{tenant="acme",connection="geo"} 1"#))

        clock.advance(by: .seconds(10))
        #expect(try await breaker.run { () throws(UpstreamClient.Failure) in try attempts.next() }.status == 200, "the probe goes through")
        let closed = String(decoding: metrics.exposition(), as: UTF8.self)
        #expect(closed.contains(#"flowgate_circuit_open{tenant="acme",connection="geo"} 0"#))
    }

    @Test func answersBelow500AndOversizedAnswersKeepTheCircuitClosed() async throws {
        let clock = ManualClock()
        let breaker = stage(clock)
        let attempts = ScriptedAttempts([.reply(404), .failure(.bodyTooLarge), .reply(429), .failure(.bodyTooLarge), .reply(200)])
        _ = try await breaker.run { () throws(UpstreamClient.Failure) in try attempts.next() }
        await #expect(throws: UpstreamClient.Failure.bodyTooLarge) {
            try await breaker.run { () throws(UpstreamClient.Failure) in try attempts.next() }
        }
        _ = try await breaker.run { () throws(UpstreamClient.Failure) in try attempts.next() }
        await #expect(throws: UpstreamClient.Failure.bodyTooLarge) {
            try await breaker.run { () throws(UpstreamClient.Failure) in try attempts.next() }
        }
        #expect(try await breaker.run { () throws(UpstreamClient.Failure) in try attempts.next() }.status == 200)
    }
}
