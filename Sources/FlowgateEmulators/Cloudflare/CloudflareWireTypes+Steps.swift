import Foundation

/// One entry of `steps[]`, a union on `type`: `step`, `sleep`, `waitForEvent`,
/// `termination`.
struct CloudflareStepItem: Encodable, Sendable {
    let step: CloudflareStep

    init(_ step: CloudflareStep) { self.step = step }

    private enum Key: String, CodingKey {
        case type, name, start, end, success, output, attempts, config, finished, error, trigger
        case eventType = "event_type"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch step {
        case .step(let name, let start, let end, let success, let output, let attempts):
            try container.encode("step", forKey: .type)
            try container.encode(name, forKey: .name)
            try container.encode(CloudflareTime.format(start), forKey: .start)
            try container.encode(end.map(CloudflareTime.format), forKey: .end)
            try container.encode(success, forKey: .success)
            // CF-TS types a step's logged output as a string.
            try container.encode(output?.logText, forKey: .output)
            try container.encode(attempts.map(Attempt.init), forKey: .attempts)
            try container.encode(Config.default, forKey: .config)
        case .sleep(let name, let start, let end, let finished):
            try container.encode("sleep", forKey: .type)
            try container.encode(name, forKey: .name)
            try container.encode(CloudflareTime.format(start), forKey: .start)
            try container.encode(CloudflareTime.format(end), forKey: .end)
            try container.encode(finished, forKey: .finished)
            try container.encodeNil(forKey: .error)
        case .waitForEvent(let name, let start, let end, let finished, let eventType, let output):
            try container.encode("waitForEvent", forKey: .type)
            try container.encode(name, forKey: .name)
            try container.encode(CloudflareTime.format(start), forKey: .start)
            try container.encode(CloudflareTime.format(end), forKey: .end)
            try container.encode(finished, forKey: .finished)
            try container.encodeNil(forKey: .error)
            try container.encode(eventType, forKey: .eventType)
            try container.encodeIfPresent(output, forKey: .output)
        case .termination(let source):
            try container.encode("termination", forKey: .type)
            try container.encode(["source": source], forKey: .trigger)
        }
    }

    /// One attempt at a `step`: `{start, end, success, error}`, all but `start` nullable.
    private struct Attempt: Encodable {
        var start: String
        @EmulatorNullable var end: String?
        @EmulatorNullable var success: Bool?
        @EmulatorNullable var error: CloudflareFailure?

        init(_ attempt: CloudflareAttempt) {
            start = CloudflareTime.format(attempt.start)
            end = attempt.end.map(CloudflareTime.format)
            success = attempt.success
            error = attempt.error
        }
    }

    /// The step config; seeded steps use the Workflows defaults (5 retries, 10 s, exponential, 10 minutes).
    private struct Config: Encodable {
        /// `{limit, delay, backoff}`.
        struct Retries: Encodable {
            var limit: Int
            var delay: Int
            var backoff: String
        }

        var retries: Retries
        var timeout: String

        static let `default` = Config(retries: Retries(limit: 5, delay: 10_000, backoff: "exponential"), timeout: "10 minutes")
    }
}

/// `GET /workflows` item and `GET /workflows/{name}`.
struct CloudflareWorkflowItem: Encodable, Sendable {
    /// `{cron, next_instance}` of a scheduled workflow.
    struct Schedule: Encodable, Sendable {
        var cron: String
        var nextInstance: String
        enum CodingKeys: String, CodingKey { case cron, nextInstance = "next_instance" }
    }

    var id, name, className, scriptName, createdOn, modifiedOn: String
    @EmulatorNullable var triggeredOn: String?
    /// Counts by status; [INF] statuses with no instances are left out, as the fields are optional.
    var instances: [String: Int]
    var schedules: [Schedule]?

    enum CodingKeys: String, CodingKey {
        case id, name, instances, schedules
        case className = "class_name", scriptName = "script_name", createdOn = "created_on", modifiedOn = "modified_on"
        case triggeredOn = "triggered_on"
    }

    init(_ workflow: CloudflareWorkflow, instances: [CloudflareInstance], now: Date) {
        let own = instances.filter { $0.workflowName == workflow.name }
        id = workflow.id
        name = workflow.name
        className = workflow.className
        scriptName = workflow.scriptName
        createdOn = CloudflareTime.format(workflow.createdOn)
        modifiedOn = CloudflareTime.format(workflow.modifiedOn)
        triggeredOn = own.map(\.queued).max().map(CloudflareTime.format)
        self.instances = Dictionary(grouping: own, by: \.status.rawValue).mapValues(\.count)
        // [INF] "0 2 * * *" is the only schedule seeded: the next 02:00 UTC after now.
        schedules = workflow.cron.map { cron in
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = .gmt
            let next = calendar.nextDate(after: now, matching: DateComponents(hour: 2, minute: 0, second: 0), matchingPolicy: .nextTime) ?? now
            return [Schedule(cron: cron, nextInstance: CloudflareTime.format(next))]
        }
    }
}
