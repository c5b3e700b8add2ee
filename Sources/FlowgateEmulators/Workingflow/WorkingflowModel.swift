import Foundation

/// A deployed process definition (latest version).
struct WorkingflowDefinition: Sendable {
    var key: String
    var name: String
    var version: Int
    var description: String
    var hasStartForm: Bool
    /// Suspended definitions still appear in the list (which has no field for it) but refuse starts with 409.
    var suspended: Bool
    /// User tasks in the order an instance meets them; a start creates the first.
    var taskNames: [String]

    var wire: WorkingflowDefinitionWire {
        WorkingflowDefinitionWire(key: key, name: name, version: version, description: description, hasStartForm: hasStartForm)
    }
}

/// One process instance, running or ended.
struct WorkingflowInstance: Sendable {
    /// [INF] only `ACTIVE` is documented; the rest is the BPMN engines' vocabulary.
    enum Status: String, Sendable {
        case active = "ACTIVE"
        /// Its definition was suspended, which suspends the running instances with it (Flowable/Camunda default).
        case suspended = "SUSPENDED"
        case completed = "COMPLETED"
        /// Ended by an administrator in the web UI: the API itself cannot cancel.
        case terminated = "TERMINATED"
    }

    /// A user task waiting to be done.
    struct Task: Sendable {
        var id: String
        var name: String
        var assignee: String?
        var created: Date
    }

    var id: String
    var definitionKey: String
    var definitionName: String
    var started: Date
    var ended: Date?
    var status: Status
    var activeTasks: [Task]
    var variables: [String: EmulatorJSON]
    var files: [WorkingflowFile]

    func wire(files shape: WorkingflowFileItems) -> WorkingflowStatusWire {
        WorkingflowStatusWire(
            processInstanceId: id, processDefinitionName: definitionName, processDefinitionKey: definitionKey,
            startTime: WorkingflowTimestamp.format(started), endTime: ended.map { WorkingflowTimestamp.format($0) }, status: status.rawValue,
            activeTasks: activeTasks.map {
                .init(taskId: $0.id, taskName: $0.name, assignee: $0.assignee, createTime: WorkingflowTimestamp.format($0.created))
            },
            variables: variables, files: files.map { $0.wire.json(as: shape) }
        )
    }
}

/// A file attached to an instance. Its URL name is the stored name, a storage prefix plus the original
/// name (`a3f8b2c1_receipt.pdf`); downloads announce the original name.
struct WorkingflowFile: Sendable {
    /// Where the bytes come from.
    enum Content: Sendable {
        case bytes([UInt8])
        /// Deterministic bytes made while streaming, so even 100 MB never sits in memory.
        case generated(size: Int)
    }

    var storedName: String
    var content: Content
    var uploaded: Date

    var originalName: String {
        guard let separator = storedName.firstIndex(of: "_") else { return storedName }
        return String(storedName[storedName.index(after: separator)...])
    }

    var contentType: String { WorkingflowFileBody.contentType(forName: storedName) }

    var size: Int {
        switch content {
        case .bytes(let bytes): bytes.count
        case .generated(let size): size
        }
    }

    var wire: WorkingflowFileWire {
        WorkingflowFileWire(
            name: storedName, originalName: originalName, contentType: contentType, size: size,
            uploadTime: WorkingflowTimestamp.format(uploaded)
        )
    }
}
