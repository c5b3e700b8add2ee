import Foundation

// The JSON Cloudflare sends, field for field. Timestamps are
// UTC with milliseconds; nullable fields are always present.

/// `GET …/instances` item (`InstanceListResponse`).
struct CloudflareInstanceItem: Encodable, Sendable {
    var id, createdOn: String
    @EmulatorNullable var endedOn: String?
    var modifiedOn: String
    @EmulatorNullable var startedOn: String?
    var status, versionID, workflowID, triggerSource: String

    enum CodingKeys: String, CodingKey {
        case id, status
        case createdOn = "created_on", endedOn = "ended_on", modifiedOn = "modified_on", startedOn = "started_on"
        case versionID = "version_id", workflowID = "workflow_id", triggerSource = "trigger_source"
    }

    init(_ instance: CloudflareInstance) {
        id = instance.id
        createdOn = CloudflareTime.format(instance.queued)
        endedOn = instance.end.map(CloudflareTime.format)
        modifiedOn = CloudflareTime.format(instance.modifiedOn)
        startedOn = instance.start.map(CloudflareTime.format)
        status = instance.status.rawValue
        versionID = instance.versionID
        workflowID = instance.workflowID
        triggerSource = instance.triggerSource
    }
}

/// The answer to a create, one per instance for a batch (`InstanceCreateResponse`).
struct CloudflareCreateResult: Encodable, Sendable {
    var id, status, versionID, workflowID, triggerSource: String

    enum CodingKeys: String, CodingKey {
        case id, status
        case versionID = "version_id", workflowID = "workflow_id", triggerSource = "trigger_source"
    }

    init(_ instance: CloudflareInstance) {
        id = instance.id
        status = instance.status.rawValue
        versionID = instance.versionID
        workflowID = instance.workflowID
        triggerSource = instance.triggerSource
    }
}

/// The answer to a status change: the new status and when (UTC, no offset, as documented).
struct CloudflareStatusResult: Encodable, Sendable {
    var status, timestamp: String
}

/// `GET …/instances/{id}` (`InstanceGetResponse`). Note `versionId` in camelCase, unlike every other field.
struct CloudflareInstanceDetail: Encodable, Sendable {
    /// `{source}`: what started the instance.
    struct Trigger: Encodable, Sendable {
        var source: String
    }

    /// `{cron, scheduledTime}` of a cron-triggered instance.
    struct Schedule: Encodable, Sendable {
        var cron: String
        var scheduledTime: Double
    }

    var status: String
    var params: EmulatorJSON
    @EmulatorNullable var output: EmulatorJSON?
    @EmulatorNullable var error: CloudflareFailure?
    @EmulatorNullable var success: Bool?
    var queued: String
    @EmulatorNullable var start: String?
    @EmulatorNullable var end: String?
    var trigger: Trigger
    var versionID: String
    var stepCount: Int
    /// [INF] Always null: the emulator runs no rollbacks.
    @EmulatorNullable var rollback: EmulatorJSON?
    /// Left out with `simple=true`.
    var steps: [CloudflareStepItem]?
    /// Only on cron-triggered instances.
    var schedule: Schedule?

    enum CodingKeys: String, CodingKey {
        case status, params, output, error, success, queued, start, end, trigger, rollback, steps, schedule
        case versionID = "versionId", stepCount = "step_count"
    }

    init(_ instance: CloudflareInstance, simple: Bool, newestFirst: Bool) {
        status = instance.status.rawValue
        params = instance.params
        output = instance.output
        error = instance.error
        success =
            switch instance.status {
            case .complete: true
            case .errored: false
            default: nil
            }
        queued = CloudflareTime.format(instance.queued)
        start = instance.start.map(CloudflareTime.format)
        end = instance.end.map(CloudflareTime.format)
        trigger = Trigger(source: instance.triggerSource)
        versionID = instance.versionID
        stepCount = instance.steps.count
        rollback = nil
        let steps = instance.steps.map(CloudflareStepItem.init)
        self.steps = simple ? nil : (newestFirst ? steps.reversed() : steps)
        schedule = instance.schedule.map { Schedule(cron: $0.cron, scheduledTime: $0.scheduledTime) }
    }
}
