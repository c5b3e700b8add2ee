import FlowgateCore
import Foundation

/// The timeline and captured data Cloudflare does not have as such, derived from an instance's record
/// (docs/providers.md): its `queued`/`start`/`end` and each step's start, attempts and end.
///
/// Event types: `queued`, `started`, `step_started`, `step_attempt_failed`, `step_completed`,
/// `step_failed`, `sleep_started`, `sleep_finished`, `wait_started`, `event_received`, `terminated`,
/// `completed`, `failed` (rollback steps as `rollback_started`, … like steps). A step type Cloudflare
/// adds later appears under its own name at its start.
enum CloudflareTimeline {
    static func events(_ record: CloudflareRecord) -> [TimelineEvent] {
        var events: [TimelineEvent] = []
        if let queued = record.queued { events.append(TimelineEvent(type: "queued", at: queued, actor: record.triggerSource)) }
        if let start = record.start { events.append(TimelineEvent(type: "started", at: start)) }
        var terminated = false
        for step in record.steps {
            switch step.type {
            case "step", "rollback":
                events += work(step, prefix: step.type == "rollback" ? "rollback" : "step")
            case "sleep":
                events.append(
                    TimelineEvent(
                        type: "sleep_started", at: step.start, step: step.name, details: step.end.map { ["until": .string(Timestamp.format($0))] }))
                if step.finished == true { events.append(TimelineEvent(type: "sleep_finished", at: step.end, step: step.name)) }
            case "waitForEvent":
                let type: [String: JSONValue]? = step.eventType.map { ["event_type": .string($0)] }
                events.append(TimelineEvent(type: "wait_started", at: step.start, step: step.name, details: type))
                if step.finished == true {
                    var details = type ?? [:]
                    if let payload = step.output { details["payload"] = payload }
                    events.append(TimelineEvent(type: "event_received", at: step.end, step: step.name, details: details.isEmpty ? nil : details))
                }
            case "termination":
                terminated = true
                events.append(TimelineEvent(type: "terminated", at: record.end, actor: step.triggerSource))
            default:
                events.append(TimelineEvent(type: step.type, at: step.start, step: step.name))
            }
        }
        switch record.status {
        case "complete": events.append(TimelineEvent(type: "completed", at: record.end, details: record.output.map { ["output": $0] }))
        case "errored": events.append(TimelineEvent(type: "failed", at: record.end, details: record.error.map(describe)))
        case "terminated" where !terminated: events.append(TimelineEvent(type: "terminated", at: record.end))
        default: break
        }
        return oldestFirst(events)
    }

    /// A step's start, each failed attempt, and its end.
    private static func work(_ step: CloudflareRecord.Step, prefix: String) -> [TimelineEvent] {
        var events = [TimelineEvent(type: "\(prefix)_started", at: step.start, step: step.name)]
        for (index, attempt) in step.attempts.enumerated() where attempt.success == false || attempt.error != nil {
            var details: [String: JSONValue] = ["attempt": .int(Int64(index + 1))]
            if let error = attempt.error { details["error"] = .object(describe(error)) }
            events.append(TimelineEvent(type: "\(prefix)_attempt_failed", at: attempt.end ?? attempt.start, step: step.name, details: details))
        }
        let attempts: [String: JSONValue] = ["attempts": .int(Int64(step.attempts.count))]
        switch step.success {
        case true?: events.append(TimelineEvent(type: "\(prefix)_completed", at: step.end, step: step.name, details: attempts))
        case false?: events.append(TimelineEvent(type: "\(prefix)_failed", at: step.end, step: step.name, details: attempts))
        case nil: break
        }
        return events
    }

    private static func describe(_ failure: CloudflareRecord.Failure) -> [String: JSONValue] {
        ["name": failure.name.map(JSONValue.string) ?? .null, "message": failure.message.map(JSONValue.string) ?? .null]
    }

    /// Stable by time: events without a time keep the place of the event before them.
    static func oldestFirst(_ events: [TimelineEvent]) -> [TimelineEvent] {
        var last = Date.distantPast
        let keyed = events.enumerated().map { index, event -> (Date, Int, TimelineEvent) in
            if let at = event.at { last = max(last, at) }
            return (event.at ?? last, index, event)
        }
        return keyed.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
    }

    /// Captured data: `params` as input, `output`, and each step's output (`{"output": …}`).
    ///
    /// Step outputs are any JSON. One that arrives as text (the TypeScript SDK types them `string`) and
    /// is a JSON object or array is read as that JSON; other text stays the text it is, since `"3"` may
    /// well be a string. A `params` that is not an object is kept as `{"params": …}`, the input being an
    /// object canonically.
    static func data(_ record: CloudflareRecord, id: CanonicalID) -> InstanceData {
        var steps: [InstanceData.StepData] = []
        for step in record.steps where ["step", "rollback", "waitForEvent"].contains(step.type) {
            guard let output = step.output else { continue }
            steps.append(.init(step: Instance.StepRef(id: nil, name: step.name), data: ["output": structured(output)]))
        }
        return InstanceData(id: id, input: record.input, variables: nil, output: record.output, steps: steps)
    }

    static func structured(_ value: JSONValue) -> JSONValue {
        guard case .string(let text) = value, let first = text.first, first == "{" || first == "[",
            let parsed = UpstreamJSON.parse(Array(text.utf8))
        else { return value }
        return parsed
    }
}
