import FlowgateCore
import FlowgateProviders
import Testing

@testable import FlowgateServer

@Suite struct RetryStageTests {
    /// Jitter fixed at the middle: each backoff is exactly ¾ of its base (50 % fixed + 25 %).
    func stage(_ clock: ManualClock, retries: Int = 2) -> RetryStage {
        RetryStage(retries: retries, clock: clock, jitter: { 0.5 })
    }

    @Test func aReadIsRetriedAfterA503WithBackoffOnTheClock() async throws {
        let clock = ManualClock()
        let attempts = ScriptedAttempts([.reply(503), .reply(200)])
        let retry = stage(clock)
        let task = Task { try await retry.run(StageFixtures.read(), StageFixtures.budget(clock, .seconds(10))) { try attempts.next() } }
        try await clock.waitForSleepers()
        #expect(attempts.count == 1)
        clock.advance(by: .milliseconds(74))
        #expect(attempts.count == 1, "75 ms of backoff have not passed")
        clock.advance(by: .milliseconds(1))
        #expect(try await task.value.status == 200)
        #expect(attempts.count == 2)
    }

    @Test func backoffDoublesAndRetriesStopAtTheConfiguredCount() async throws {
        let clock = ManualClock()
        let attempts = ScriptedAttempts([.reply(502)])
        let retry = stage(clock, retries: 2)
        let task = Task { try await retry.run(StageFixtures.read(), StageFixtures.budget(clock, .seconds(10))) { try attempts.next() } }
        try await clock.waitForSleepers()
        clock.advance(by: .milliseconds(75))
        try await clock.waitForSleepers()
        #expect(attempts.count == 2)
        clock.advance(by: .milliseconds(150))
        #expect(try await task.value.status == 502, "after 2 retries the last answer stands")
        #expect(attempts.count == 3)
    }

    @Test func aRefusedConnectionIsRetriedForReads() async throws {
        let clock = ManualClock()
        let attempts = ScriptedAttempts([.failure(.connect), .reply(200)])
        let retry = stage(clock)
        let task = Task { try await retry.run(StageFixtures.read(), StageFixtures.budget(clock, .seconds(10))) { try attempts.next() } }
        try await clock.waitForSleepers()
        clock.advance(by: .milliseconds(75))
        #expect(try await task.value.status == 200)
    }

    @Test func writesAreNeverRetried() async throws {
        let clock = ManualClock()
        let retry = stage(clock)
        let answers = ScriptedAttempts([.reply(503), .reply(200)])
        #expect(try await retry.run(StageFixtures.write(), StageFixtures.budget(clock, .seconds(10))) { try answers.next() }.status == 503)
        #expect(answers.count == 1)
        let refused = ScriptedAttempts([.failure(.connect), .reply(200)])
        await #expect(throws: UpstreamClient.Failure.connect) {
            try await retry.run(StageFixtures.write(), StageFixtures.budget(clock, .seconds(10))) { try refused.next() }
        }
        #expect(refused.count == 1)
    }

    @Test func noRetryStartsThatWouldNotFitTheBudget() async throws {
        let clock = ManualClock()
        let attempts = ScriptedAttempts([.reply(504), .reply(200)])
        // 75 ms of backoff + 50 ms for the attempt do not fit in 120 ms.
        let reply = try await stage(clock).run(StageFixtures.read(), StageFixtures.budget(clock, .milliseconds(120))) { try attempts.next() }
        #expect(reply.status == 504)
        #expect(attempts.count == 1)
        #expect(clock.sleeperCount == 0)
    }

    @Test func otherStatusesAndFailuresPassThrough() async throws {
        let clock = ManualClock()
        let notFound = ScriptedAttempts([.reply(404)])
        #expect(try await stage(clock).run(StageFixtures.read(), StageFixtures.budget(clock, .seconds(10))) { try notFound.next() }.status == 404)
        let timedOut = ScriptedAttempts([.failure(.timeout), .reply(200)])
        await #expect(throws: UpstreamClient.Failure.timeout) {
            try await stage(clock).run(StageFixtures.read(), StageFixtures.budget(clock, .seconds(10))) { try timedOut.next() }
        }
        #expect(timedOut.count == 1, "a timeout spent the budget: no retry")
    }
}
