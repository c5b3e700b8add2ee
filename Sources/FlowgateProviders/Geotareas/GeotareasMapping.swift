import FlowgateCore
import Foundation

/// Geotareas wire objects → canonical ones (upstreams.md §3.3). Timestamps carry no zone and are read
/// in the connection's `timezone`; ids are BigInt strings and stay strings.
struct GeotareasMapping {
    let connection: ProviderConnection
    var json: UpstreamJSON { UpstreamJSON(connection) }

    /// The members of a success envelope; a 2xx without `success: true` breaks the contract.
    func envelope(_ reply: UpstreamReply) throws -> [String: JSONValue] {
        let root = try json.object(try json.document(reply), "answer")
        guard case .bool(true)? = root["success"] else { throw json.broken("a 2xx answer without success: true", status: reply.status) }
        return root
    }

    func time(_ value: JSONValue?, _ path: String) throws -> Date? {
        try json.localTimestamp(value, path, in: connection.timezone)
    }

    /// A list item or a detail: the two differ only in `current_step` (a name in the list, an object
    /// `{node_id, name}` in the detail) and in the detail's extra fields.
    func instance(_ value: JSONValue, at path: String, includeRaw: Bool) throws -> Instance {
        let item = try json.object(value, path)
        let status = try json.string(item["status"], "\(path).status")
        let definitionID = try json.optionalString(item["definition_id"], "\(path).definition_id")
        let ended = try time(item["ended_at"], "\(path).ended_at")
        let cancelled = try time(item["cancelled_at"], "\(path).cancelled_at")
        return Instance(
            id: connection.id(try json.identifier(item["id"], "\(path).id")), provider: .geotareas,
            definition: .init(
                id: definitionID.map { connection.id($0).description },
                name: try json.optionalString(item["definition_name"], "\(path).definition_name")
            ),
            status: GeotareasStatus.instance(status), providerStatus: status,
            startedAt: try time(item["started_at"], "\(path).started_at"), updatedAt: nil, endedAt: ended ?? cancelled,
            startedBy: nil, entity: try entity(item, at: path), currentStep: try step(item["current_step"], "\(path).current_step"),
            pendingTasks: try json.optionalInt(item["pending_tasks_count"], "\(path).pending_tasks_count"), raw: includeRaw ? value : nil
        )
    }

    /// The detail: the instance plus its tasks; `pending_tasks` is counted from the unfinished ones,
    /// since the detail carries no count of its own.
    func detail(_ value: JSONValue, includeRaw: Bool) throws -> InstanceDetail {
        var instance = try instance(value, at: "data", includeRaw: includeRaw)
        let item = try json.object(value, "data")
        let tasks = try json.array(item["tasks"] ?? .array([]), "data.tasks").enumerated().map { index, task in
            try self.task(task, at: "data.tasks[\(index)]")
        }
        instance.pendingTasks = instance.pendingTasks ?? tasks.count(where: { $0.status == .pending })
        return InstanceDetail(instance: instance, tasks: tasks)
    }

    private func task(_ value: JSONValue, at path: String) throws -> WorkflowTask {
        let task = try json.object(value, path)
        return WorkflowTask(
            id: try json.identifier(task["id"], "\(path).id"), name: try json.optionalString(task["step_name"], "\(path).step_name"),
            status: GeotareasStatus.task(try json.string(task["status"], "\(path).status")),
            assignee: try json.optionalString(task["assigned_to"], "\(path).assigned_to"),
            completedAt: try time(task["completed_at"], "\(path).completed_at")
        )
    }

    private func entity(_ item: [String: JSONValue], at path: String) throws -> Instance.EntityRef? {
        // An instance on no entity (NINGUNA, or no id) has nothing a caller could look up.
        guard let type = try json.optionalString(item["entity_type"], "\(path).entity_type"),
            let id = try json.optionalString(item["entity_id"], "\(path).entity_id"), !id.isEmpty
        else { return nil }
        return .init(type: type, id: id, label: try json.optionalString(item["entity_label"], "\(path).entity_label"))
    }

    private func step(_ value: JSONValue?, _ path: String) throws -> Instance.StepRef? {
        switch value {
        case nil, .null?: return nil
        case .string(let name)?: return name.isEmpty ? nil : .init(id: nil, name: name)
        case .object(let step)?:
            return .init(id: try json.optionalString(step["node_id"], "\(path).node_id"), name: try json.optionalString(step["name"], "\(path).name"))
        default: throw json.broken("\(path) is neither a step name nor a step")
        }
    }

    func definition(_ value: JSONValue, at path: String, includeRaw: Bool) throws -> Definition {
        let item = try json.object(value, path)
        let status = try json.optionalString(item["status"], "\(path).status")
        return Definition(
            id: connection.id(try json.identifier(item["id"], "\(path).id")), provider: .geotareas,
            name: try json.optionalString(item["name"], "\(path).name"),
            version: try json.optionalInt(item["version"], "\(path).version").map(String.init),
            description: try json.optionalString(item["description"], "\(path).description"),
            startable: status == "active", entityType: try json.optionalString(item["entity_type"], "\(path).entity_type"), status: status,
            raw: includeRaw ? value : nil
        )
    }

    /// Timeline events map one to one; the step is `details.step_name` where the event names one.
    func event(_ value: JSONValue, at path: String) throws -> TimelineEvent {
        let item = try json.object(value, path)
        let details: [String: JSONValue]? =
            switch item["details"] {
            case nil, .null?: nil
            case .object(let members)?: members
            default: throw json.broken("\(path).details is not an object")
            }
        return TimelineEvent(
            type: try json.string(item["event"], "\(path).event"), at: try time(item["datetime"], "\(path).datetime"),
            actor: try json.optionalString(item["actor"], "\(path).actor"), step: details?["step_name"]?.stringValue, details: details
        )
    }

    /// One step's captured form: `data` is `{field name: value}` with values untouched (a `date` field
    /// stays the upstream's string). Who completed it and the result are on the timeline, not repeated here.
    func capture(_ value: JSONValue, at path: String) throws -> InstanceData.StepData {
        let item = try json.object(value, path)
        var data: [String: JSONValue] = [:]
        for (index, field) in try json.array(item["fields"], "\(path).fields").enumerated() {
            let member = try json.object(field, "\(path).fields[\(index)]")
            let name = try json.string(member["name"], "\(path).fields[\(index)].name")
            // The first value wins should a form repeat a name; a later duplicate cannot overwrite it.
            if data[name] == nil { data[name] = member["value"] ?? .null }
        }
        return .init(step: .init(id: nil, name: try json.optionalString(item["step_name"], "\(path).step_name")), data: data)
    }
}
