import FlowgateCore
import Foundation

/// Workingflow's JSON → the canonical model (docs/providers.md). Timestamps carry an offset
/// (`2026-05-01T09:15:22.000+00:00`) and become UTC instants.
///
/// Strict: a definition's `key`, an instance's `processInstanceId` and `status` (`502` naming the
/// field). Everything else is read tolerantly: of any plausible shape, else null (or the list item
/// skipped) with the drift reported.
struct WorkingflowMapping: Sendable {
    let connection: ProviderConnection
    let json: UpstreamJSON

    init(_ connection: ProviderConnection) {
        self.connection = connection
        self.json = UpstreamJSON(connection)
    }

    /// A `GET /processapi/list` item: addressed by `key`. A process with a start form cannot be started
    /// through the API, so it is not startable; one that does not say is offered (a start form shows
    /// up as `422` on start).
    func definition(_ value: JSONValue, includeRaw: Bool) throws -> Definition {
        let item = UpstreamObject(try json.object(value, "[]"))
        return Definition(
            id: connection.id(try json.identifier(item["key"], "[].key")), provider: .workingflow, name: json.text(item["name"], "[].name"),
            version: json.text(item["version"], "[].version"), description: json.text(item["description"], "[].description"),
            startable: !(json.flag(item["hasStartForm"], "[].hasStartForm") ?? false), raw: includeRaw ? value : nil
        )
    }

    /// `GET /processapi/{id}/status`. The current step is the first active task, the one a person must
    /// act on; who started it is the engine's `initiator` variable (`api:<key name>` for API starts).
    func detail(_ value: JSONValue, includeRaw: Bool) throws -> InstanceDetail {
        let status = UpstreamObject(try json.object(value, "the answer"))
        let native = try json.identifier(status["processInstanceId"], "processInstanceId")
        let word = try json.string(status["status"], "status")
        let tasks = json.items(status["activeTasks"], "activeTasks").compactMap(task)
        let variables = json.members(status["variables"], "variables")
        let id = connection.id(native)
        let instance = Instance(
            id: id, provider: .workingflow,
            definition: .init(
                id: json.text(status["processDefinitionKey"], "processDefinitionKey").map { connection.id($0).description },
                name: json.text(status["processDefinitionName"], "processDefinitionName")
            ),
            status: WorkingflowStatus.map(word, ended: Self.isSet(status["endTime"])), providerStatus: word,
            startedAt: json.instant(status["startTime"], "startTime"), endedAt: json.instant(status["endTime"], "endTime"),
            startedBy: variables?["initiator"]?.stringValue,
            currentStep: tasks.first.map { Instance.StepRef(id: $0.id, name: $0.name) }, pendingTasks: tasks.count, raw: includeRaw ? value : nil
        )
        let files = WorkingflowFiles(json: json, instance: id).read(status["files"])
        return InstanceDetail(instance: instance, tasks: tasks, variables: variables, output: nil, error: nil, files: files)
    }

    /// An `activeTasks[]` item; one without an id cannot be a canonical task and is skipped.
    private func task(_ entry: JSONValue) -> WorkflowTask? {
        guard let task = UpstreamObject(entry) else {
            json.drift("activeTasks[]", entry)
            return nil
        }
        guard let id = json.text(task["taskId", "id"], "activeTasks[].taskId"), !id.isEmpty else {
            json.drift("activeTasks[].taskId", task["taskId", "id"])
            return nil
        }
        return WorkflowTask(
            id: id, name: json.text(task["taskName", "name"], "activeTasks[].taskName"), status: .pending,
            assignee: json.text(task["assignee"], "activeTasks[].assignee"), createdAt: json.instant(task["createTime"], "activeTasks[].createTime")
        )
    }

    /// Whether a field holds anything at all: `endTime` set (to whatever) means the instance ended.
    static func isSet(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null?, .string("")?: false
        default: true
        }
    }
}
