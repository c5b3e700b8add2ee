import Foundation
import Synchronization

/// A page of a list and its `result_info`.
struct CloudflarePage<Item: Sendable>: Sendable {
    var items: [Item]
    var info: CloudflareResultInfo
}

/// The emulator's state: workflows and instances behind one lock. Creates, status changes and events
/// change it, and later reads see the change.
final class CloudflareStore: Sendable {
    // Not private: the status and event changes live in CloudflareStore+Changes.swift.
    let state: Mutex<CloudflareSeed.Snapshot>

    init(seed: CloudflareSeed.Snapshot) {
        state = Mutex(seed)
    }

    /// `GET /workflows`: by name, `search` filters names [INF: a case-insensitive substring].
    func workflows(search: String?, page: Int, perPage: Int) -> (CloudflarePage<CloudflareWorkflow>, [CloudflareInstance]) {
        let (workflows, instances) = state.withLock { ($0.workflows, $0.instances) }
        let matching = workflows.filter { search.map($0.name.localizedCaseInsensitiveContains) ?? true }.sorted { $0.name < $1.name }
        let items = Array(matching.dropFirst((page - 1) * perPage).prefix(perPage))
        return (CloudflarePage(items: items, info: .init(count: items.count, perPage: perPage, totalCount: matching.count, page: page)), instances)
    }

    func workflow(named name: String) throws -> (CloudflareWorkflow, [CloudflareInstance]) {
        try state.withLock { state throws(CloudflareError) in
            guard let workflow = state.workflows.first(where: { $0.name == name }) else { throw .workflowNotFound }
            return (workflow, state.instances.filter { $0.workflowName == name })
        }
    }

    /// [INF] Newest first; `direction=asc` with a cursor walks towards newer instances. A cursor comes with
    /// every cursor-mode answer that has more to give, and with page-mode answers only in the
    /// `first_page_cursor` variant (``CloudflareListing``).
    func instances(of workflowName: String, query: CloudflareInstanceQuery, listing: CloudflareListing) throws -> CloudflarePage<CloudflareInstance> {
        let all = try workflow(named: workflowName).1.filter(query.matches).sorted { $0.sequence > $1.sequence }
        let remaining: [CloudflareInstance]
        var info = CloudflareResultInfo(count: 0, perPage: query.perPage, totalCount: all.count)
        switch query.paging {
        case .first, .page:
            let page = if case .page(let page) = query.paging { page } else { 1 }
            remaining = Array(all.dropFirst((page - 1) * query.perPage))
            info.page = page
        case .cursor(let after, let ascending):
            remaining = ascending ? Array(all.filter { $0.sequence > after }.reversed()) : all.filter { $0.sequence < after }
        }
        let items = Array(remaining.prefix(query.perPage))
        info.count = items.count
        let cursorMode = if case .cursor = query.paging { true } else { false }
        if let last = items.last, remaining.count > items.count, cursorMode || listing == .firstPageCursor {
            info.cursor = CloudflareInstanceQuery.encodeCursor(last.sequence)
        }
        return CloudflarePage(items: items, info: info)
    }

    func instance(_ id: String, of workflowName: String) throws -> CloudflareInstance {
        try state.withLock { state throws(CloudflareError) in
            guard state.workflows.contains(where: { $0.name == workflowName }) else { throw .workflowNotFound }
            guard let instance = state.instances.first(where: { $0.workflowName == workflowName && $0.id == id }) else { throw .instanceNotFound }
            return instance
        }
    }

    /// Creates queued instances, all or none: an id already used in the workflow is 10405, the same id
    /// twice in one batch 10415. Ids left out are generated as UUIDs [INF].
    func create(_ requests: [CloudflareCreateRequest], in workflowName: String, at now: Date) throws -> [CloudflareInstance] {
        try state.withLock { state throws(CloudflareError) in
            guard let workflow = state.workflows.first(where: { $0.name == workflowName }) else { throw .workflowNotFound }
            var ids: [String] = []
            for request in requests {
                let id = request.instanceID ?? state.random.uuid()
                if ids.contains(id) { throw .duplicateInBatch }
                if state.instances.contains(where: { $0.workflowName == workflowName && $0.id == id }) { throw .alreadyExists }
                ids.append(id)
            }
            var sequence = (state.instances.map(\.sequence).max() ?? 0)
            let created = zip(ids, requests).map { id, request in
                sequence += 1
                return CloudflareInstance(
                    id: id, workflowName: workflow.name, workflowID: workflow.id, versionID: workflow.versionID, status: .queued,
                    params: request.params ?? .object([:]), output: nil, error: nil, queued: now, start: nil, end: nil, modifiedOn: now,
                    triggerSource: "api", steps: [], schedule: nil, sequence: sequence
                )
            }
            state.instances.append(contentsOf: created)
            return created
        }
    }
}
