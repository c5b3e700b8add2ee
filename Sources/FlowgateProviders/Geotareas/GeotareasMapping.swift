import FlowgateCore
import Foundation

/// Geotareas wire objects → canonical ones (docs/providers.md). Timestamps carry no zone and are read
/// in the connection's `timezone`; ids are BigInt strings and stay strings.
///
/// Strict: an instance's `id` and `status`, a definition's `id` (`502` naming the field). Everything
/// else is read tolerantly: of any plausible shape, else null (or the item skipped) with the drift
/// reported.
struct GeotareasMapping {
    let connection: ProviderConnection
    var json: UpstreamJSON { UpstreamJSON(connection) }

    /// The members of a success envelope; a 2xx without `success: true` breaks the contract.
    func envelope(_ reply: UpstreamReply) throws -> [String: JSONValue] {
        let root = try json.object(try json.document(reply), "answer")
        guard case .bool(true)? = root["success"] else { throw json.broken("a 2xx answer without success: true", status: reply.status) }
        return root
    }

    /// A zone-less time, read in the connection's `timezone`.
    func time(_ value: JSONValue?, _ field: String) -> Date? {
        json.instant(value, field)
    }

    /// A list item or a detail: the two differ only in `current_step` (a name in the list, an object
    /// `{node_id, name}` in the detail) and in the detail's extra fields.
    func instance(_ value: JSONValue, at path: String, includeRaw: Bool) throws -> Instance {
        let item = UpstreamObject(try json.object(value, path))
        let status = try json.string(item["status"], "\(path).status")
        let definitionID = json.text(item["definition_id"], "instance.definition_id").flatMap { $0.isEmpty ? nil : $0 }
        return Instance(
            id: connection.id(try json.identifier(item["id"], "\(path).id")), provider: .geotareas,
            definition: .init(
                id: definitionID.map { connection.id($0).description }, name: json.text(item["definition_name"], "instance.definition_name")),
            status: GeotareasStatus.instance(status), providerStatus: status, startedAt: time(item["started_at"], "instance.started_at"),
            updatedAt: nil, endedAt: time(item["ended_at"], "instance.ended_at") ?? time(item["cancelled_at"], "instance.cancelled_at"),
            startedBy: nil, entity: entity(item), currentStep: step(item["current_step"]),
            pendingTasks: json.integer(item["pending_tasks_count"], "instance.pending_tasks_count"), raw: includeRaw ? value : nil
        )
    }

    /// The detail: the instance plus its tasks; `pending_tasks` is counted from the unfinished ones,
    /// since the detail carries no count of its own.
    func detail(_ value: JSONValue, includeRaw: Bool) throws -> InstanceDetail {
        var instance = try instance(value, at: "data", includeRaw: includeRaw)
        let item = UpstreamObject(try json.object(value, "data"))
        let tasks = json.items(item["tasks"], "instance.tasks").compactMap(task)
        instance.pendingTasks = instance.pendingTasks ?? tasks.count(where: { $0.status == .pending })
        return InstanceDetail(instance: instance, tasks: tasks)
    }

    /// A task; one without an id cannot be a canonical task and is skipped.
    private func task(_ value: JSONValue) -> WorkflowTask? {
        guard let task = UpstreamObject(value) else {
            json.drift("instance.tasks[]", value)
            return nil
        }
        guard let id = json.text(task["id"], "instance.tasks[].id"), !id.isEmpty else {
            json.drift("instance.tasks[].id", task["id"])
            return nil
        }
        return WorkflowTask(
            id: id, name: json.text(task["step_name"], "instance.tasks[].step_name"),
            status: GeotareasStatus.task(json.text(task["status"], "instance.tasks[].status") ?? ""),
            assignee: person(task["assigned_to", "assigned_to_user"], "instance.tasks[].assigned_to"),
            completedAt: time(task["completed_at"], "instance.tasks[].completed_at")
        )
    }

    /// Someone named by a string, or by an object with a `name` (the task list's `{id, name}`).
    private func person(_ value: JSONValue?, _ field: String) -> String? {
        if let object = UpstreamObject(value) { return json.text(object["name", "label", "email", "id"], "\(field).name") }
        return json.text(value, field)
    }

    private func entity(_ item: UpstreamObject) -> Instance.EntityRef? {
        // An instance on no entity (NINGUNA, or no id) has nothing a caller could look up.
        guard let type = json.text(item["entity_type"], "instance.entity_type"), !type.isEmpty,
            let id = json.text(item["entity_id"], "instance.entity_id"), !id.isEmpty
        else { return nil }
        return .init(type: type, id: id, label: json.text(item["entity_label"], "instance.entity_label"))
    }

    private func step(_ value: JSONValue?) -> Instance.StepRef? {
        switch value {
        case nil, .null?: return nil
        case .string(let name)?: return name.isEmpty ? nil : .init(id: nil, name: name)
        case .object(let members)?:
            let step = UpstreamObject(members)
            let ref = Instance.StepRef(
                id: json.text(step["node_id", "id"], "instance.current_step.node_id"), name: json.text(step["name"], "instance.current_step.name")
            )
            return ref.id == nil && ref.name == nil ? nil : ref
        case let other?:
            json.drift("instance.current_step", other)
            return nil
        }
    }

    func definition(_ value: JSONValue, at path: String, includeRaw: Bool) throws -> Definition {
        let item = UpstreamObject(try json.object(value, path))
        let status = json.text(item["status"], "definition.status")
        return Definition(
            id: connection.id(try json.identifier(item["id"], "\(path).id")), provider: .geotareas, name: json.text(item["name"], "definition.name"),
            version: json.text(item["version"], "definition.version"), description: json.text(item["description"], "definition.description"),
            startable: status?.lowercased() == "active", entityType: json.text(item["entity_type"], "definition.entity_type"), status: status,
            raw: includeRaw ? value : nil
        )
    }

    /// Timeline events map one to one; the step is `details.step_name` where the event names one. An
    /// event without a type says nothing and is skipped.
    func event(_ value: JSONValue) -> TimelineEvent? {
        guard let item = UpstreamObject(value) else {
            json.drift("timeline[]", value)
            return nil
        }
        guard let type = json.text(item["event"], "timeline[].event"), !type.isEmpty else {
            json.drift("timeline[].event", item["event"])
            return nil
        }
        let details = json.members(item["details"], "timeline[].details")
        return TimelineEvent(
            type: type, at: time(item["datetime"], "timeline[].datetime"), actor: person(item["actor"], "timeline[].actor"),
            step: details.flatMap { UpstreamObject($0)["step_name"]?.stringValue }, details: details
        )
    }

    /// One step's captured form: `data` is `{field name: value}` with values untouched (a `date` field
    /// stays the upstream's string). Who completed it and the result are on the timeline, not repeated
    /// here. A field without a name cannot be a key and is skipped.
    func capture(_ value: JSONValue) -> InstanceData.StepData? {
        guard let item = UpstreamObject(value) else {
            json.drift("captured_data[]", value)
            return nil
        }
        var data: [String: JSONValue] = [:]
        for field in json.items(item["fields"], "captured_data[].fields") {
            guard let member = UpstreamObject(field) else {
                json.drift("captured_data[].fields[]", field)
                continue
            }
            guard let name = json.text(member["name"], "captured_data[].fields[].name"), !name.isEmpty else {
                json.drift("captured_data[].fields[].name", member["name"])
                continue
            }
            // The first value wins should a form repeat a name; a later duplicate cannot overwrite it.
            if data[name] == nil { data[name] = member["value"] ?? .null }
        }
        return .init(step: .init(id: nil, name: json.text(item["step_name"], "captured_data[].step_name")), data: data)
    }
}
