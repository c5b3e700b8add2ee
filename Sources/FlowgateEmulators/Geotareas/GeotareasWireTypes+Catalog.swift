import Foundation

/// `GET /workflow/definitions` item.
struct GeotareasDefinitionItem: Encodable, Sendable {
    var id, name: String
    @EmulatorNullable var description: String?
    var status, entityType: String
    var version, stepsCount, triggersCount: Int
    var createdAt, updatedAt: String

    enum CodingKeys: String, CodingKey {
        case id, name, description, status, version
        case entityType = "entity_type", stepsCount = "steps_count", triggersCount = "triggers_count", createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    init(_ definition: GeotareasDefinition) {
        id = definition.id
        name = definition.name
        description = definition.description
        status = definition.isActive ? "active" : "inactive"
        entityType = definition.entityType.rawValue
        version = definition.version
        stepsCount = definition.steps.count
        triggersCount = definition.triggers.count
        createdAt = GeotareasTime.format(definition.createdAt)
        updatedAt = GeotareasTime.format(definition.updatedAt)
    }
}

/// `GET /workflow/definitions/{id}`. [INF] Path and shape are inferred: the list fields plus `steps[]` and `triggers[]`.
struct GeotareasDefinitionDetail: Encodable, Sendable {
    /// One step of the summary.
    struct Step: Encodable, Sendable {
        var nodeID, name: String
        enum CodingKeys: String, CodingKey { case nodeID = "node_id", name }
    }

    /// One way the definition starts.
    struct Trigger: Encodable, Sendable {
        var type: String
    }

    var summary: GeotareasDefinitionItem
    var steps: [Step]
    var triggers: [Trigger]

    init(_ definition: GeotareasDefinition) {
        summary = GeotareasDefinitionItem(definition)
        steps = definition.steps.map { Step(nodeID: $0.nodeID, name: $0.name) }
        triggers = definition.triggers.map(Trigger.init)
    }

    enum CodingKeys: String, CodingKey { case steps, triggers }

    func encode(to encoder: any Encoder) throws {
        try summary.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(steps, forKey: .steps)
        try container.encode(triggers, forKey: .triggers)
    }
}

/// `GET /workflow/tasks` item.
struct GeotareasTaskItem: Encodable, Sendable {
    /// `{id, name}` of the assigned user or group.
    struct Reference: Encodable, Sendable {
        var id, name: String
    }

    /// `{type, id, label}` of what the instance is about.
    struct Entity: Encodable, Sendable {
        var type: String
        @EmulatorNullable var id: String?
        @EmulatorNullable var label: String?
    }

    var id, instanceID, workflowName, stepName, status: String
    @EmulatorNullable var assignedToUser: Reference?
    @EmulatorNullable var assignedToGroup: Reference?
    var entity: Entity
    @EmulatorNullable var dueDate: String?
    var escalated: Bool
    var createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, status, entity, escalated
        case instanceID = "instance_id", workflowName = "workflow_name", stepName = "step_name", assignedToUser = "assigned_to_user"
        case assignedToGroup = "assigned_to_group", dueDate = "due_date", createdAt = "created_at"
    }

    init(_ row: GeotareasTaskRow) {
        let assignee = Reference(id: row.task.assignee.id, name: row.task.assignee.displayName)
        id = row.task.id
        instanceID = row.instanceID
        workflowName = row.workflowName
        stepName = row.task.stepName
        status = row.task.status.rawValue
        assignedToUser = row.task.assignee.kind == .user ? assignee : nil
        assignedToGroup = row.task.assignee.kind == .group ? assignee : nil
        entity = Entity(type: row.entity.type.rawValue, id: row.entity.id, label: row.entity.label)
        dueDate = row.task.dueDate.map(GeotareasTime.format)
        escalated = row.task.escalated
        createdAt = GeotareasTime.format(row.task.createdAt)
    }
}
