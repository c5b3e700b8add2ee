import FlowgateCore
import Testing

@testable import FlowgateServer

@Suite struct DeadlineStageTests {
    @Test func theCallsOwnBoundDecidesWhenTheRequestHasMoreTimeLeft() {
        let clock = ManualClock()
        let stage = DeadlineStage(callTimeout: .seconds(10), clock: clock)
        let request = RequestDeadline(startingAt: clock.now, timeout: .seconds(15))
        let budget = stage.budget(within: request)
        #expect(budget.deadline == clock.now + .seconds(10))
        #expect(budget.bound == .call(.seconds(10)))
        #expect(budget.timeoutMessage(.geotareas) == "geotareas did not answer within 10 s")
    }

    @Test func theRequestsDeadlineDecidesOnceItIsNearer() {
        let clock = ManualClock()
        let stage = DeadlineStage(callTimeout: .seconds(10), clock: clock)
        let request = RequestDeadline(startingAt: clock.now, timeout: .seconds(15))
        clock.advance(by: .seconds(8))
        let budget = stage.budget(within: request)
        #expect(budget.deadline == request.instant, "7 s left of the request, less than one call's 10 s")
        #expect(budget.bound == .request(.seconds(15)))
        #expect(budget.timeoutMessage(.bitrix24) == "The request's 15 s budget ran out before bitrix24 answered")
    }

    @Test func aCallOutsideAnyRequestHasItsOwnBound() {
        let clock = ManualClock()
        let budget = DeadlineStage(callTimeout: .milliseconds(1500), clock: clock).budget(within: nil)
        #expect(budget.deadline == clock.now + .milliseconds(1500))
        #expect(budget.timeoutMessage(.cloudflare) == "cloudflare did not answer within 1500 ms")
    }

    @Test func aSpentBudgetIsRefusedBeforeAnythingElse() throws {
        let clock = ManualClock()
        let stage = DeadlineStage(callTimeout: .seconds(10), clock: clock)
        let budget = stage.budget(within: RequestDeadline(startingAt: clock.now, timeout: .seconds(2)))
        try stage.checkRemaining(budget)
        clock.advance(by: .seconds(2))
        #expect(throws: UpstreamClient.Failure.timeout) { try stage.checkRemaining(budget) }
    }
}
