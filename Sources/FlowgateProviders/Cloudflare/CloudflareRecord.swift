import FlowgateCore
import Foundation

/// `GET …/instances/{id}` read once: the detail, data and timeline all derive from it.
///
/// Strict: `status` only. Everything else is read tolerantly: `params` and every `output` are any
/// JSON, an `error` may be `{name, message}` or bare text, a step or attempt that is not an object (or
/// a step without a `type`) is skipped and reported.
struct CloudflareRecord: Sendable {
    struct Failure: Sendable, Hashable {
        var name: String?
        var message: String?
    }

    struct Attempt: Sendable, Hashable {
        var start: Date?
        var end: Date?
        var success: Bool?
        var error: Failure?
    }

    /// One entry of `steps[]`, a union on `type` (`step`, `sleep`, `waitForEvent`, `termination`,
    /// `rollback`; an unknown type is kept with what it shares with the others).
    struct Step: Sendable, Hashable {
        var type: String
        var name: String?
        var start: Date?
        var end: Date?
        var success: Bool?
        var finished: Bool?
        var output: JSONValue?
        var attempts: [Attempt]
        var error: Failure?
        var eventType: String?
        var triggerSource: String?

        /// Whether the step is still in progress: a step without an end, a sleep or wait not finished.
        var isOpen: Bool {
            switch type {
            case "step", "rollback": end == nil
            case "sleep", "waitForEvent": finished == false
            default: false
            }
        }
    }

    var status: String
    var params: JSONValue?
    var output: JSONValue?
    var error: Failure?
    var queued: Date?
    var start: Date?
    var end: Date?
    var triggerSource: String?
    var steps: [Step]

    init(_ value: JSONValue, json: UpstreamJSON) throws {
        let result = UpstreamObject(try json.object(value, "result"))
        status = try json.string(result["status"], "result.status")
        params = Self.present(result["params"])
        output = Self.present(result["output"])
        error = Self.failure(result["error"], "result.error", json: json)
        queued = json.instant(result["queued"], "result.queued")
        start = json.instant(result["start"], "result.start")
        end = json.instant(result["end"], "result.end")
        triggerSource = Self.source(result["trigger"], "result.trigger", json: json)
        steps = json.items(result["steps"], "result.steps").compactMap { Self.step($0, json: json) }
    }

    /// The latest moment the record mentions: the detail has no `modified_on`, so this stands in for it.
    var lastActivity: Date? {
        var dates = [queued, start, end].compactMap { $0 }
        for step in steps {
            dates += [step.start, step.end].compactMap { $0 }
            dates += step.attempts.flatMap { [$0.start, $0.end].compactMap { $0 } }
        }
        return dates.max()
    }

    /// The step an unfinished instance is at: the last one still open.
    var currentStep: String? {
        guard !["complete", "errored", "terminated"].contains(status) else { return nil }
        return steps.last(where: \.isOpen)?.name
    }

    /// The start input as an object: `params` itself, JSON text of an object, or anything else kept
    /// under `{"params": …}` (the canonical input is an object).
    var input: [String: JSONValue]? {
        switch params {
        case nil: nil
        case .object(let members)?: members
        case let other?: CloudflareTimeline.structured(other).objectValue ?? ["params": other]
        }
    }

    private static func step(_ value: JSONValue, json: UpstreamJSON) -> Step? {
        guard let item = UpstreamObject(value) else {
            json.drift("result.steps[]", value)
            return nil
        }
        guard let type = json.text(item["type"], "result.steps[].type"), !type.isEmpty else {
            json.drift("result.steps[].type", item["type"])
            return nil
        }
        func date(_ key: String) -> Date? { json.instant(item[key], "result.steps[].\(key)") }
        let attempts = json.items(item["attempts"], "result.steps[].attempts").compactMap { entry -> Attempt? in
            guard let attempt = UpstreamObject(entry) else {
                json.drift("result.steps[].attempts[]", entry)
                return nil
            }
            return Attempt(
                start: json.instant(attempt["start"], "result.steps[].attempts[].start"),
                end: json.instant(attempt["end"], "result.steps[].attempts[].end"),
                success: json.flag(attempt["success"], "result.steps[].attempts[].success"),
                error: failure(attempt["error"], "result.steps[].attempts[].error", json: json)
            )
        }
        return Step(
            type: type, name: json.text(item["name"], "result.steps[].name"), start: date("start"), end: date("end"),
            success: json.flag(item["success"], "result.steps[].success"), finished: json.flag(item["finished"], "result.steps[].finished"),
            output: present(item["output"]), attempts: attempts, error: failure(item["error"], "result.steps[].error", json: json),
            eventType: json.text(item["event_type"], "result.steps[].event_type"),
            triggerSource: source(item["trigger"], "result.steps[].trigger", json: json)
        )
    }

    /// Any JSON value, nil for null or absent.
    private static func present(_ value: JSONValue?) -> JSONValue? {
        value == .null ? nil : value
    }

    /// `trigger.source` of a `{source}` object, or the source as bare text.
    private static func source(_ value: JSONValue?, _ field: String, json: UpstreamJSON) -> String? {
        if let trigger = UpstreamObject(value) { return json.text(trigger["source"], "\(field).source") }
        return json.text(value, field)
    }

    /// `{name, message}`, or bare text taken as the message.
    private static func failure(_ value: JSONValue?, _ field: String, json: UpstreamJSON) -> Failure? {
        switch value {
        case nil, .null?: return nil
        case .string(let message)?: return Failure(name: nil, message: message)
        case .object(let members)?:
            let object = UpstreamObject(members)
            return Failure(name: json.text(object["name"], "\(field).name"), message: json.text(object["message"], "\(field).message"))
        case let other?:
            json.drift(field, other)
            return nil
        }
    }
}
