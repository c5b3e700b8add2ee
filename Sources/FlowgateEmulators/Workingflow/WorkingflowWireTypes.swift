/// One item of `GET /processapi/list`, a bare JSON array (the REST API chapter).
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
    /// Items in the shape ``WorkingflowFileItems`` selects.
    var files: [EmulatorJSON]
}

/// An `activeTasks[]` item; `assignee` is an explicit null for an unclaimed task.
struct WorkingflowTaskWire: Encodable {
    var taskId: String
    var taskName: String
    @EmulatorNullable var assignee: String?
    var createTime: String
}

/// A `files[]` item. [GAP] the docs only ever show `[]`; [INF] the fields a download needs: the stored
/// name that goes in the URL, the original name the download announces, type and size. The shape is a
/// switch (``WorkingflowFileItems``).
struct WorkingflowFileWire {
    var name: String
    var originalName: String
    var contentType: String
    var size: Int
    var uploadTime: String

    func json(as shape: WorkingflowFileItems) -> EmulatorJSON {
        guard let nameKey = shape.nameKey else { return .string(name) }
        let snake = shape.isSnakeCase
        return .object([
            nameKey: .string(name), snake ? "original_name" : "originalName": .string(originalName),
            snake ? "content_type" : "contentType": .string(contentType), "size": .integer(size),
            snake ? "upload_time" : "uploadTime": .string(uploadTime),
        ])
    }
}
