import FlowgateCore

/// Workingflow's instance status words and their canonical statuses (upstreams.md §5.3). Only
/// `ACTIVE` is documented; `COMPLETED` and `SUSPENDED` are the BPMN engines' words. Anything else
/// (`TERMINATED`, a word not seen yet) is `unknown`, with the word kept in `provider_status`.
enum WorkingflowStatus {
    static let canonical: [String: InstanceStatus] = [
        "ACTIVE": .running,
        "COMPLETED": .completed,
        "SUSPENDED": .paused,
    ]

    static func map(_ word: String) -> InstanceStatus {
        canonical[word] ?? .unknown
    }
}
