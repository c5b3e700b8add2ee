import FlowgateCore

/// Workingflow's instance status words and their canonical statuses. Only `ACTIVE` is documented;
/// `COMPLETED` and `SUSPENDED` are the BPMN engines' words. An instance whose `endTime` is set has
/// ended, whatever its word says: it is `completed` (the word stays in `provider_status`). Any other
/// word (`TERMINATED` while running, a word not seen yet) is `unknown`.
enum WorkingflowStatus {
    static let canonical: [String: InstanceStatus] = [
        "ACTIVE": .running,
        "COMPLETED": .completed,
        "SUSPENDED": .paused,
    ]

    static func map(_ word: String, ended: Bool) -> InstanceStatus {
        ended ? .completed : canonical[word] ?? .unknown
    }
}
