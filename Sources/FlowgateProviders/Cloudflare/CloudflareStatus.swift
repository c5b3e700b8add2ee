import FlowgateCore

/// Cloudflare's instance status words (its API reference's status enum) and the canonical
/// statuses they map to, word for word.
enum CloudflareStatus {
    /// `rollingBack` is still running (undoing its steps); `waitingForPause` is pausing, so it counts as
    /// paused. A word not in this table (the binding's `unknown`, or a new one) is `unknown`.
    static let canonical: [String: InstanceStatus] = [
        "queued": .queued,
        "running": .running,
        "rollingBack": .running,
        "waiting": .waiting,
        "paused": .paused,
        "waitingForPause": .paused,
        "complete": .completed,
        "errored": .failed,
        "terminated": .cancelled,
    ]

    static func map(_ word: String) -> InstanceStatus {
        canonical[word] ?? .unknown
    }

    /// Words the list's `status` filter accepts (docs/upstreams/cloudflare.md#list-instances); `rollingBack` is only in newer SDKs, so it is
    /// never sent.
    static let filterable: Set<String> = ["queued", "running", "paused", "errored", "terminated", "complete", "waitingForPause", "waiting"]

    /// The one upstream word that selects exactly `statuses`, when there is one.
    ///
    /// A canonical status that several words map to (`running`, `paused`), several statuses, or
    /// `unknown` (an open set) cannot be one upstream filter: those lists are read unfiltered and
    /// filtered by the gateway, which costs reads but never drops an instance.
    static func pushdown(_ statuses: Set<InstanceStatus>?) -> String? {
        guard let statuses else { return nil }
        guard !statuses.contains(.unknown) else { return nil }
        let words = canonical.filter { statuses.contains($0.value) }.map(\.key)
        guard words.count == 1, let word = words.first, filterable.contains(word) else { return nil }
        return word
    }
}
