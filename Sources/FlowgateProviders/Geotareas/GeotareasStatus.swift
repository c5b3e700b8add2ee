import FlowgateCore

/// Geotareas' status words and the canonical ones, word for word.
enum GeotareasStatus {
    /// Instance statuses. `RUNNING` is `running` even with open tasks: Geotareas never says "waiting".
    static let instances: [String: InstanceStatus] = [
        "RUNNING": .running, "COMPLETED": .completed, "CANCELLED": .cancelled, "ERROR": .failed,
    ]

    static func instance(_ word: String) -> InstanceStatus { instances[word] ?? .unknown }

    /// The Geotareas words a canonical status filter asks for; statuses Geotareas has no word for
    /// (queued, waiting, paused, unknown) cannot match anything it lists.
    static func words(for statuses: Set<InstanceStatus>) -> [String] {
        instances.filter { statuses.contains($0.value) }.keys.sorted()
    }

    /// Task statuses: `IN_PROGRESS` (picked up, not finished) is still pending for the caller.
    static func task(_ word: String) -> WorkflowTask.Status {
        switch word {
        case "PENDING", "IN_PROGRESS": .pending
        case "COMPLETED": .completed
        default: .unknown
        }
    }
}
