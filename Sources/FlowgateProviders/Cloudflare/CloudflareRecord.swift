import FlowgateCore
import Foundation

/// `GET …/instances/{id}` read once (upstreams.md §4.5): the detail, data and timeline all derive from it.
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
        let result = try json.object(value, "result")
        status = try json.string(result["status"], "result.status")
        params = result["params"].flatMap { $0 == .null ? nil : $0 }
        output = result["output"].flatMap { $0 == .null ? nil : $0 }
        error = try Self.failure(result["error"], "result.error", json: json)
        queued = try CloudflareTime.read(result["queued"], "result.queued", json: json)
        start = try CloudflareTime.read(result["start"], "result.start", json: json)
        end = try CloudflareTime.read(result["end"], "result.end", json: json)
        triggerSource = try Self.source(result["trigger"], "result.trigger", json: json)
        switch result["steps"] {
        case nil, .null?: steps = []
        case let list?: steps = try json.array(list, "result.steps").enumerated().map { try Self.step($1, "result.steps[\($0)]", json: json) }
        }
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

    private static func step(_ value: JSONValue, _ path: String, json: UpstreamJSON) throws -> Step {
        let item = try json.object(value, path)
        func date(_ key: String) throws -> Date? { try CloudflareTime.read(item[key], "\(path).\(key)", json: json) }
        func flag(_ key: String) throws -> Bool? { try optionalBool(item[key], "\(path).\(key)", json: json) }
        var attempts: [Attempt] = []
        if let list = item["attempts"], list != .null {
            for (index, entry) in try json.array(list, "\(path).attempts").enumerated() {
                let attempt = try json.object(entry, "\(path).attempts[\(index)]")
                let at = "\(path).attempts[\(index)]"
                attempts.append(
                    Attempt(
                        start: try CloudflareTime.read(attempt["start"], "\(at).start", json: json),
                        end: try CloudflareTime.read(attempt["end"], "\(at).end", json: json),
                        success: try optionalBool(attempt["success"], "\(at).success", json: json),
                        error: try failure(attempt["error"], "\(at).error", json: json)
                    )
                )
            }
        }
        return Step(
            type: try json.string(item["type"], "\(path).type"), name: try json.optionalString(item["name"], "\(path).name"),
            start: try date("start"), end: try date("end"), success: try flag("success"), finished: try flag("finished"),
            output: item["output"].flatMap { $0 == .null ? nil : $0 }, attempts: attempts,
            error: try failure(item["error"], "\(path).error", json: json),
            eventType: try json.optionalString(item["event_type"], "\(path).event_type"),
            triggerSource: try source(item["trigger"], "\(path).trigger", json: json)
        )
    }

    /// `trigger.source` of a `{source}` object that may be absent or null.
    private static func source(_ value: JSONValue?, _ path: String, json: UpstreamJSON) throws -> String? {
        guard let value, value != .null else { return nil }
        return try json.optionalString(try json.object(value, path)["source"], "\(path).source")
    }

    private static func optionalBool(_ value: JSONValue?, _ path: String, json: UpstreamJSON) throws -> Bool? {
        guard let value, value != .null else { return nil }
        return try json.bool(value, path)
    }

    private static func failure(_ value: JSONValue?, _ path: String, json: UpstreamJSON) throws -> Failure? {
        guard let value, value != .null else { return nil }
        let object = try json.object(value, path)
        return Failure(name: try json.optionalString(object["name"], "\(path).name"), message: try json.optionalString(object["message"], "\(path).message"))
    }
}
