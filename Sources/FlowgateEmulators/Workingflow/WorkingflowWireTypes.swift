/// One item of `GET /processapi/list`, a bare JSON array (seed/002).
struct WorkingflowDefinitionWire: Encodable {
    var key: String
    var name: String
    var version: Int
    var description: String
    var hasStartForm: Bool
}

/// `POST /processapi/{processKey}/start` → 201.
struct WorkingflowStartWire: Encodable {
    var processInstanceId: String
    var processDefinitionKey: String
    var message = "Process started successfully"
}

/// `GET /processapi/{id}/status`.
struct WorkingflowStatusWire: Encodable {
    var processInstanceId: String
    var processDefinitionName: String
    var processDefinitionKey: String
    var startTime: String
    var endTime: String?
    var status: String
    var activeTasks: [WorkingflowTaskWire]
    var variables: [String: WorkingflowValue]
    var files: [WorkingflowFileWire]

    enum CodingKeys: String, CodingKey {
        case processInstanceId, processDefinitionName, processDefinitionKey, startTime, endTime, status, activeTasks, variables, files
    }

    // By hand so a running instance shows `"endTime": null`, as documented, not a missing key.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(processInstanceId, forKey: .processInstanceId)
        try container.encode(processDefinitionName, forKey: .processDefinitionName)
        try container.encode(processDefinitionKey, forKey: .processDefinitionKey)
        try container.encode(startTime, forKey: .startTime)
        try container.encode(endTime, forKey: .endTime)
        try container.encode(status, forKey: .status)
        try container.encode(activeTasks, forKey: .activeTasks)
        try container.encode(variables, forKey: .variables)
        try container.encode(files, forKey: .files)
    }
}

/// An `activeTasks[]` item; `assignee` is an explicit null for an unclaimed task.
struct WorkingflowTaskWire: Encodable {
    var taskId: String
    var taskName: String
    var assignee: String?
    var createTime: String

    enum CodingKeys: String, CodingKey { case taskId, taskName, assignee, createTime }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(taskId, forKey: .taskId)
        try container.encode(taskName, forKey: .taskName)
        try container.encode(assignee, forKey: .assignee)
        try container.encode(createTime, forKey: .createTime)
    }
}

/// A `files[]` item. [GAP] the docs only ever show `[]`; [INF] the fields a download needs: `name` is the
/// stored name that goes in the URL, `originalName` the one the download announces.
struct WorkingflowFileWire: Encodable {
    var name: String
    var originalName: String
    var contentType: String
    var size: Int
    var uploadTime: String
}
