import Foundation

/// Instance statuses. `unknown` is what the API says when it cannot tell.
enum CloudflareInstanceStatus: String, CaseIterable, Sendable {
    case queued, running, paused, errored, terminated, complete, waitingForPause, waiting, unknown

    /// The values the list filter accepts (the API reference's list parameters).
    static let filterable: [Self] = [.queued, .running, .paused, .errored, .terminated, .complete, .waitingForPause, .waiting]

    var isFinished: Bool { self == .complete || self == .errored || self == .terminated }
}

/// One entry of a workflow's code, which seeded and restarted instances walk through.
enum CloudflareStepPlan: Sendable {
    case step(String, output: EmulatorJSON)
    case sleep(String, seconds: Int)
    case waitForEvent(String, eventType: String)
}

/// A deployed workflow, addressed by name.
struct CloudflareWorkflow: Sendable {
    var id: String
    var name: String
    var className: String
    var scriptName: String
    var versionID: String
    var createdOn: Date
    var modifiedOn: Date
    var cron: String?
    var plan: [CloudflareStepPlan]
    /// What a completed instance returns.
    var output: EmulatorJSON
}

/// `{name, message}` of a failed attempt or instance.
struct CloudflareFailure: Sendable, Encodable {
    var name: String
    var message: String
}

/// One attempt at a `step`.
struct CloudflareAttempt: Sendable {
    var start: Date
    var end: Date?
    var success: Bool?
    var error: CloudflareFailure?
}

/// One entry of an instance's step log.
enum CloudflareStep: Sendable {
    case step(name: String, start: Date, end: Date?, success: Bool?, output: EmulatorJSON?, attempts: [CloudflareAttempt])
    /// `end` is when the sleep is due to end.
    case sleep(name: String, start: Date, end: Date, finished: Bool)
    /// [INF] `end` of an unfinished wait is its timeout (24 h, the binding's default).
    case waitForEvent(name: String, start: Date, end: Date, finished: Bool, eventType: String, output: EmulatorJSON?)
    case termination(source: String)

    var name: String? {
        switch self {
        case .step(let name, _, _, _, _, _), .sleep(let name, _, _, _), .waitForEvent(let name, _, _, _, _, _): name
        case .termination: nil
        }
    }
}

/// A workflow instance with everything `GET …/instances/{id}` shows.
struct CloudflareInstance: Sendable {
    var id: String
    var workflowName: String
    var workflowID: String
    var versionID: String
    var status: CloudflareInstanceStatus
    var params: EmulatorJSON
    var output: EmulatorJSON?
    var error: CloudflareFailure?
    var queued: Date
    var start: Date?
    var end: Date?
    var modifiedOn: Date
    /// `unknown | api | binding | event | cron`.
    var triggerSource: String
    var steps: [CloudflareStep]
    /// `{cron, scheduledTime}` of cron-triggered instances. [GAP] The unit of `scheduledTime` is
    /// undocumented; the emulator sends Unix milliseconds.
    var schedule: (cron: String, scheduledTime: Double)?
    /// Events sent before the instance waits for them, kept as the binding keeps them.
    var bufferedEvents: [(type: String, payload: EmulatorJSON)] = []
    /// Insertion order: the list's sort key and what a cursor points at.
    var sequence: Int

    /// True while the last step is a sleep or an event wait that has not finished.
    var isWaiting: Bool {
        switch steps.last {
        case .sleep(_, _, _, let finished)?, .waitForEvent(_, _, _, let finished, _, _)?: !finished
        default: false
        }
    }
}
