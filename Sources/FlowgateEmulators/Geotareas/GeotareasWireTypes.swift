import Foundation

// The JSON Geotareas sends, field for field. Timestamps are zone-less
// strings in the tenant zone; ids are BigInt strings; nullable fields are always present.

/// `GET /workflow/instances` item: `current_step` is the step *name* here.
struct GeotareasInstanceItem: Encodable, Sendable {
    var id, definitionID, definitionName, status, entityType: String
    @EmulatorNullable var entityID: String?
    @EmulatorNullable var entityLabel: String?
    @EmulatorNullable var currentStep: String?
    var startedAt: String
    @EmulatorNullable var endedAt: String?
    @EmulatorNullable var cancelledAt: String?
    var pendingTasksCount: Int

    enum CodingKeys: String, CodingKey {
        case id, status
        case definitionID = "definition_id", definitionName = "definition_name", entityType = "entity_type", entityID = "entity_id"
        case entityLabel = "entity_label", currentStep = "current_step", startedAt = "started_at", endedAt = "ended_at"
        case cancelledAt = "cancelled_at", pendingTasksCount = "pending_tasks_count"
    }

    init(_ instance: GeotareasInstance) {
        id = instance.id
        definitionID = instance.definitionID
        definitionName = instance.definitionName
        status = instance.status.rawValue
        entityType = instance.entity.type.rawValue
        entityID = instance.entity.id
        entityLabel = instance.entity.label
        currentStep = instance.currentStep?.name
        startedAt = GeotareasTime.format(instance.startedAt)
        endedAt = instance.endedAt.map(GeotareasTime.format)
        cancelledAt = instance.cancelledAt.map(GeotareasTime.format)
        pendingTasksCount = instance.pendingTasksCount
    }
}

/// `GET /workflow/instances/{id}`: `current_step` is an object here, plus trigger, cancel info and tasks.
struct GeotareasInstanceDetail: Encodable, Sendable {
    /// `current_step` as the detail shows it.
    struct Step: Encodable, Sendable {
        var nodeID, name: String
        enum CodingKeys: String, CodingKey { case nodeID = "node_id", name }
    }

    /// One of `tasks[]`: `assigned_to` is a login or a group name.
    struct Task: Encodable, Sendable {
        var id, stepName, status: String
        @EmulatorNullable var assignedTo: String?
        @EmulatorNullable var result: String?
        @EmulatorNullable var completedAt: String?

        enum CodingKeys: String, CodingKey {
            case id, status, result
            case stepName = "step_name", assignedTo = "assigned_to", completedAt = "completed_at"
        }
    }

    var id, definitionID, definitionName, status, entityType: String
    @EmulatorNullable var entityID: String?
    @EmulatorNullable var entityLabel: String?
    @EmulatorNullable var currentStep: Step?
    var triggerType, startedAt: String
    @EmulatorNullable var endedAt: String?
    @EmulatorNullable var cancelledAt: String?
    @EmulatorNullable var cancelledBy: String?
    @EmulatorNullable var cancelReason: String?
    var tasks: [Task]

    enum CodingKeys: String, CodingKey {
        case id, status, tasks
        case definitionID = "definition_id", definitionName = "definition_name", entityType = "entity_type", entityID = "entity_id"
        case entityLabel = "entity_label", currentStep = "current_step", triggerType = "trigger_type", startedAt = "started_at"
        case endedAt = "ended_at", cancelledAt = "cancelled_at", cancelledBy = "cancelled_by", cancelReason = "cancel_reason"
    }

    init(_ instance: GeotareasInstance) {
        id = instance.id
        definitionID = instance.definitionID
        definitionName = instance.definitionName
        status = instance.status.rawValue
        entityType = instance.entity.type.rawValue
        entityID = instance.entity.id
        entityLabel = instance.entity.label
        currentStep = instance.currentStep.map { Step(nodeID: $0.nodeID, name: $0.name) }
        triggerType = instance.triggerType
        startedAt = GeotareasTime.format(instance.startedAt)
        endedAt = instance.endedAt.map(GeotareasTime.format)
        cancelledAt = instance.cancelledAt.map(GeotareasTime.format)
        cancelledBy = instance.cancelledBy
        cancelReason = instance.cancelReason
        tasks = instance.tasks.map { task in
            Task(
                id: task.id, stepName: task.stepName, status: task.status.rawValue, assignedTo: task.assignee.name, result: task.result,
                completedAt: task.completedAt.map(GeotareasTime.format)
            )
        }
    }
}

/// One `GET …/timeline` entry.
struct GeotareasTimelineItem: Encodable, Sendable {
    var event, datetime, actor: String
    @EmulatorNullable var details: [String: String]?

    init(_ event: GeotareasEvent) {
        self.event = event.event
        datetime = GeotareasTime.format(event.at)
        actor = event.actor
        details = event.details
    }
}

/// One `GET …/captured-data` entry: the fields one completed step captured.
struct GeotareasCapturedItem: Encodable, Sendable {
    /// One captured form field.
    struct Field: Encodable, Sendable {
        var name, type: String
        var value: EmulatorJSON
    }

    var stepName, completedBy, completedAt, resultCode, resultLabel: String
    var fields: [Field]

    enum CodingKeys: String, CodingKey {
        case fields
        case stepName = "step_name", completedBy = "completed_by", completedAt = "completed_at", resultCode = "result_code"
        case resultLabel = "result_label"
    }

    init(_ capture: GeotareasCapture) {
        stepName = capture.stepName
        completedBy = capture.completedBy
        completedAt = GeotareasTime.format(capture.completedAt)
        resultCode = capture.resultCode
        resultLabel = capture.resultLabel
        fields = capture.fields.map { Field(name: $0.name, type: $0.type, value: $0.value) }
    }
}

/// `201` answer to a start.
struct GeotareasStartResult: Encodable, Sendable {
    var instanceID, status, currentStep: String
    enum CodingKeys: String, CodingKey { case instanceID = "instance_id", status, currentStep = "current_step" }
}

/// Answer to a cancel.
struct GeotareasCancelResult: Encodable, Sendable {
    var instanceID, status, cancelledAt: String
    enum CodingKeys: String, CodingKey { case instanceID = "instance_id", status, cancelledAt = "cancelled_at" }
}

/// Answer to a login.
struct GeotareasLoginResult: Encodable, Sendable {
    var authorization: String
}
