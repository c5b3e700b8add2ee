import Foundation

/// Builds seeded instances by walking a workflow's plan, so the step log, status and timestamps agree.
enum CloudflareRunBuilder {
    /// Where a seeded instance stands.
    struct Spec: Sendable {
        var status: CloudflareInstanceStatus
        /// Plan entries completed before the instance stopped; for `waiting` the index of the wait it is
        /// in, for `errored` the step that failed.
        var progress: Int
    }

    static func build(
        id: String, workflow: CloudflareWorkflow, params: EmulatorJSON, trigger: String, queued: Date, spec: Spec, sequence: Int,
        random: inout EmulatorRandom
    ) -> CloudflareInstance {
        var instance = CloudflareInstance(
            id: id, workflowName: workflow.name, workflowID: workflow.id, versionID: workflow.versionID, status: spec.status,
            params: params, output: nil, error: nil, queued: queued, start: nil, end: nil, modifiedOn: queued, triggerSource: trigger,
            steps: [], schedule: nil, sequence: sequence
        )
        guard spec.status != .queued else { return instance }
        var clock = queued.addingTimeInterval(0.2 + Double(random.next(below: 1800)) / 1000)
        instance.start = clock
        let done = spec.status == .complete ? workflow.plan.count : min(spec.progress, workflow.plan.count)
        for entry in workflow.plan.prefix(done) {
            let (step, end) = finished(entry, at: clock, random: &random)
            instance.steps.append(step)
            clock = end
        }
        let next = done < workflow.plan.count ? workflow.plan[done] : nil
        switch (spec.status, next) {
        case (.complete, _):
            instance.output = workflow.output
            instance.end = clock
        case (.errored, .step(let name, _)?):
            let message = "Upstream responded 503 Service Unavailable"
            // The first try and the default 5 retries, 10 s apart and doubling.
            var attempts: [CloudflareAttempt] = []
            for retry in 0..<6 {
                let end = clock.addingTimeInterval(0.3)
                attempts.append(CloudflareAttempt(start: clock, end: end, success: false, error: CloudflareFailure(name: "Error", message: message)))
                clock = end.addingTimeInterval(10 * pow(2, Double(retry)))
            }
            let failedAt = attempts.last?.end ?? clock
            instance.steps.append(
                .step(name: name, start: attempts.first?.start ?? clock, end: failedAt, success: false, output: nil, attempts: attempts))
            instance.error = CloudflareFailure(name: "Error", message: message)
            instance.end = failedAt
        case (.waiting, .sleep(let name, let seconds)?):
            instance.steps.append(.sleep(name: name, start: clock, end: clock.addingTimeInterval(TimeInterval(seconds)), finished: false))
        case (.waiting, .waitForEvent(let name, let eventType)?):
            instance.steps.append(
                .waitForEvent(name: name, start: clock, end: clock.addingTimeInterval(86_400), finished: false, eventType: eventType, output: nil)
            )
        case (.running, .step(let name, _)?), (.waitingForPause, .step(let name, _)?), (.unknown, .step(let name, _)?):
            instance.steps.append(
                .step(
                    name: name, start: clock, end: nil, success: nil, output: nil, attempts: [CloudflareAttempt(start: clock, end: nil, success: nil)]
                )
            )
        case (.terminated, _):
            clock = clock.addingTimeInterval(42)
            instance.steps.append(.termination(source: "api"))
            instance.end = clock
        default:
            // Paused between steps, or a spec that stops where the plan cannot: leave the log as it is.
            break
        }
        instance.modifiedOn = instance.end ?? clock
        return instance
    }

    /// A plan entry run to completion from `start`, and when it ended.
    static func finished(_ entry: CloudflareStepPlan, at start: Date, random: inout EmulatorRandom) -> (CloudflareStep, Date) {
        switch entry {
        case .step(let name, let output):
            let end = start.addingTimeInterval(Double(150 + random.next(below: 3_850)) / 1000)
            let attempt = CloudflareAttempt(start: start, end: end, success: true, error: nil)
            return (.step(name: name, start: start, end: end, success: true, output: output, attempts: [attempt]), end)
        case .sleep(let name, let seconds):
            let end = start.addingTimeInterval(TimeInterval(seconds))
            return (.sleep(name: name, start: start, end: end, finished: true), end)
        case .waitForEvent(let name, let eventType):
            let end = start.addingTimeInterval(TimeInterval(600 + random.next(below: 7_200)))
            let payload = EmulatorJSON.object(["receivedBy": .string("ops-console"), "ok": .bool(true)])
            return (.waitForEvent(name: name, start: start, end: end, finished: true, eventType: eventType, output: payload), end)
        }
    }
}
