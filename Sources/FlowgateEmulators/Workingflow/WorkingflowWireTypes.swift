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

/// `GET /processapi/{id}/status`; a running instance shows `"endTime": null`, as documented, not a missing key.
struct WorkingflowStatusWire: Encodable {
    var processInstanceId: String
    var processDefinitionName: String
    var processDefinitionKey: String
    var startTime: String
    @EmulatorNullable var endTime: String?
    var status: String
    var activeTasks: [WorkingflowTaskWire]
    var variables: [String: EmulatorJSON]
    var files: [WorkingflowFileWire]
}

/// An `activeTasks[]` item; `assignee` is an explicit null for an unclaimed task.
struct WorkingflowTaskWire: Encodable {
    var taskId: String
    var taskName: String
    @EmulatorNullable var assignee: String?
    var createTime: String
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
