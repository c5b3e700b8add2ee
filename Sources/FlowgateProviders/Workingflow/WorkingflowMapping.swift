import FlowgateCore
import Foundation

/// Workingflow's JSON → the canonical model (upstreams.md §2.3). Timestamps carry an offset
/// (`2026-05-01T09:15:22.000+00:00`) and become UTC instants.
struct WorkingflowMapping: Sendable {
    let connection: ProviderConnection
    let json: UpstreamJSON

    init(_ connection: ProviderConnection) {
        self.connection = connection
        self.json = UpstreamJSON(connection)
    }

    /// A `GET /processapi/list` item: addressed by `key`; a process with a start form cannot be started
    /// through the API, so it is not startable.
    func definition(_ value: JSONValue, includeRaw: Bool) throws -> Definition {
        let item = try json.object(value, "[]")
        return Definition(
            id: connection.id(try json.string(item["key"], "[].key")), provider: .workingflow, name: try json.optionalString(item["name"], "[].name"),
            version: try json.optionalInt(item["version"], "[].version").map(String.init),
            description: try json.optionalString(item["description"], "[].description"),
            startable: !(try json.bool(item["hasStartForm"], "[].hasStartForm")), raw: includeRaw ? value : nil
        )
    }

    /// `GET /processapi/{id}/status`. The current step is the first active task, the one a person must
    /// act on; who started it is the engine's `initiator` variable (`api:<key name>` for API starts).
    func detail(_ value: JSONValue, includeRaw: Bool) throws -> InstanceDetail {
        let status = try json.object(value, "the answer")
        let native = try json.identifier(status["processInstanceId"], "processInstanceId")
        let key = try json.string(status["processDefinitionKey"], "processDefinitionKey")
        let word = try json.string(status["status"], "status")
        let tasks = try self.tasks(status["activeTasks"])
        let variables: [String: JSONValue]? =
            switch status["variables"] {
            case nil, .null?: nil
            case let other?: try json.object(other, "variables")
            }
        let id = connection.id(native)
        let instance = Instance(
            id: id, provider: .workingflow, definition: .init(id: connection.id(key).description, name: try json.optionalString(status["processDefinitionName"], "processDefinitionName")),
            status: WorkingflowStatus.map(word), providerStatus: word, startedAt: try json.timestamp(status["startTime"], "startTime"),
            endedAt: try json.timestamp(status["endTime"], "endTime"), startedBy: variables?["initiator"]?.stringValue,
            currentStep: tasks.first.map { Instance.StepRef(id: $0.id, name: $0.name) }, pendingTasks: tasks.count, raw: includeRaw ? value : nil
        )
        return InstanceDetail(instance: instance, tasks: tasks, variables: variables, output: nil, error: nil, files: try files(status["files"], of: id))
    }

    private func tasks(_ value: JSONValue?) throws -> [WorkflowTask] {
        guard let value, value != .null else { return [] }
        return try json.array(value, "activeTasks").enumerated().map { index, entry in
            let path = "activeTasks[\(index)]"
            let task = try json.object(entry, path)
            return WorkflowTask(
                id: try json.identifier(task["taskId"], "\(path).taskId"), name: try json.optionalString(task["taskName"], "\(path).taskName"),
                status: .pending, assignee: try json.optionalString(task["assignee"], "\(path).assignee"),
                createdAt: try json.timestamp(task["createTime"], "\(path).createTime")
            )
        }
    }

    /// `files[]`, whose item shape is undocumented [GAP]: a bare name, or an object with at least `name`
    /// (the stored name the download URL needs) and perhaps `contentType` and `size`.
    private func files(_ value: JSONValue?, of id: CanonicalID) throws -> [FileRef] {
        guard let value, value != .null else { return [] }
        return try json.array(value, "files").enumerated().map { index, entry in
            let path = "files[\(index)]"
            if case .string(let name) = entry, !name.isEmpty { return fileRef(name, contentType: nil, size: nil, of: id) }
            let file = try json.object(entry, path)
            return fileRef(
                try json.string(file["name"], "\(path).name"), contentType: try json.optionalString(file["contentType"], "\(path).contentType"),
                size: try json.optionalInt(file["size"], "\(path).size"), of: id
            )
        }
    }

    private func fileRef(_ name: String, contentType: String?, size: Int?, of id: CanonicalID) -> FileRef {
        FileRef(name: name, contentType: contentType, size: size, url: "/v1/instances/\(PathSegment.encode(id.description))/files/\(PathSegment.encode(name))")
    }
}
