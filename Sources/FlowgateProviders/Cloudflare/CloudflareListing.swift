import FlowgateCore
import Foundation

/// `GET /v1/instances` on a Cloudflare connection. Cloudflare lists instances per workflow, so a
/// connection-wide list reads every workflow's list concurrently and merges them newest first with
/// ``PageMerge``, exactly as the server merges connections.
///
/// Each workflow's list is paged as Cloudflare documents it (``CloudflareStreamPosition``): page mode
/// (`page`, `per_page`) until an answer hands out `result_info.cursor`, which is then followed; in page
/// mode the next page is asked for while `page × per_page < total_count` (or, with no total, while pages
/// come back full). The connection's position is `{"workflows": {<name>: <stream position>}}` holding
/// only the workflows with items left. Workflows deployed after the first page are not in it and are
/// left out until a new listing (their instances are all newer than where the listing began); a
/// workflow deleted meanwhile just ends.
struct CloudflareListing: Sendable {
    let adapter: CloudflareAdapter

    /// Upstream pages read per workflow and request when the gateway filters: beyond this the page ends
    /// early and the cursor resumes the scan (docs/canonical-api.md#list-filters: bounded, fewer items than `limit` allowed).
    static let maxPagesPerWorkflow = 5

    private var connection: ProviderConnection { adapter.connection }

    func page(_ request: InstancePageRequest) async throws -> InstancePage {
        let starts = try await startPositions(request)
        let names = starts.keys.sorted()
        let first = CloudflareStreamPosition.first(perPage: Self.perPage(request))
        let pages: [String: InstancePage]
        if names.count == 1, let name = names.first {
            // One workflow (a `definition` filter names it) is scanned in this task, not in a group of one.
            pages = [name: try await scan(name, from: starts[name] ?? first, request: request)]
        } else {
            pages = try await withThrowingTaskGroup(of: (String, InstancePage).self) { group in
                for name in names {
                    let start = starts[name] ?? first
                    group.addTask { (name, try await scan(name, from: start, request: request)) }
                }
                var pages: [String: InstancePage] = [:]
                for try await (name, page) in group { pages[name] = page }
                return pages
            }
        }
        let streams = names.map { pages[$0] ?? InstancePage(items: [], end: nil) }
        let merged = PageMerge.merge(streams, limit: request.limit)
        // Each stream's continuation once nothing, then each taken item, is consumed.
        var positions: [String: JSONValue] = [:]
        var counts = Array(repeating: 0, count: streams.count)
        let startJSON = names.map { (starts[$0] ?? first).json }
        func place(_ index: Int) {
            let start = startJSON[index]
            switch PageMerge.continuation(of: streams[index], taking: counts[index], from: start) {
            case .at(let position): positions[names[index]] = position
            case .fromStart: positions[names[index]] = start
            case .exhausted: positions[names[index]] = nil
            }
        }
        streams.indices.forEach(place)
        var items: [InstancePage.Item] = []
        for (stream, item) in merged.taken {
            counts[stream] += 1
            place(stream)
            let taken = positions
            items.append(.init(instance: streams[stream].items[item].instance, after: Self.encode(taken)))
        }
        return InstancePage(items: items, end: Self.encode(positions), bounded: streams.contains(where: \.bounded))
    }

    /// Where each workflow starts: the cursor's positions, or every workflow (one with a `definition`
    /// filter) from its first page.
    private func startPositions(_ request: InstancePageRequest) async throws -> [String: CloudflareStreamPosition] {
        let first = CloudflareStreamPosition.first(perPage: Self.perPage(request))
        if let position = request.position { return try Self.decode(position, perPage: Self.perPage(request)) }
        if let workflow = request.filter.definition {
            try CloudflareNativeID.checkWorkflow(workflow, field: "definition", connection: connection)
            return [workflow: first]
        }
        let workflows = try await adapter.workflows(route: "list_workflows")
        var starts: [String: CloudflareStreamPosition] = [:]
        for workflow in workflows {
            starts[try adapter.mapping.workflowName(workflow)] = first
        }
        return starts
    }

    /// Items per upstream page for a new stream: filtering locally reads whole pages; otherwise every
    /// item read is kept, so read no more than needed.
    static func perPage(_ request: InstancePageRequest) -> Int {
        let filtersLocally = request.filter.statuses != nil && CloudflareStatus.pushdown(request.filter.statuses) == nil
        return filtersLocally ? 100 : min(100, request.limit)
    }

    /// Up to `limit` admitted instances of one workflow from `start`, each with the stream position after it.
    private func scan(_ workflow: String, from start: CloudflareStreamPosition, request: InstancePageRequest) async throws -> InstancePage {
        var position = start
        var items: [InstancePage.Item] = []
        for _ in 1...Self.maxPagesPerWorkflow {
            let page: CloudflareListPage
            do {
                page = try await fetch(workflow, position.page, request: request)
            } catch let error as GatewayError where error.upstream?.code == "10200" && request.filter.definition == nil {
                // Deleted since the workflow list was read: nothing more to list from it.
                return InstancePage(items: items, end: nil)
            }
            if position.skip >= page.items.count {
                guard let next = page.next else { return InstancePage(items: items, end: nil) }
                position = CloudflareStreamPosition(page: next, skip: position.skip - page.items.count)
                continue
            }
            for index in position.skip..<page.items.count {
                let instance = try adapter.mapping.listed(page.items[index], workflow: workflow, includeRaw: request.includeRaw)
                guard request.filter.admits(instance) else { continue }
                let after: CloudflareStreamPosition? =
                    index + 1 < page.items.count
                    ? CloudflareStreamPosition(page: position.page, skip: index + 1) : page.next.map { .init(page: $0, skip: 0) }
                items.append(.init(instance: instance, after: after?.json))
                if items.count == request.limit { return InstancePage(items: items, end: after?.json) }
            }
            guard let next = page.next else { return InstancePage(items: items, end: nil) }
            position = CloudflareStreamPosition(page: next, skip: 0)
        }
        // Bounded out: the next request resumes the scan here.
        return InstancePage(items: items, end: position.json, bounded: true)
    }

    /// One upstream page of `workflow`'s instances, and where its list continues.
    private func fetch(_ workflow: String, _ page: CloudflareStreamPosition.Page, request: InstancePageRequest) async throws -> CloudflareListPage {
        var call = try adapter.upstreamCall("list_instances", ["workflow": workflow])
        switch page {
        case .number(let number, let perPage):
            call.addQuery("page", String(number))
            call.addQuery("per_page", String(perPage))
        case .cursor(let cursor):
            call.addQuery("per_page", String(Self.perPage(request)))
            call.addQuery("cursor", cursor)
        }
        call.addQuery("status", CloudflareStatus.pushdown(request.filter.statuses))
        call.addQuery("date_start", request.filter.startedAfter.map { CloudflareTime.filterBound($0, roundingUp: false) })
        call.addQuery("date_end", request.filter.startedBefore.map { CloudflareTime.filterBound($0, roundingUp: true) })
        let answer = try await adapter.send(call)
        return CloudflareListPage(items: try adapter.json.array(answer.result, "result"), asked: page, info: answer.listInfo(adapter.json))
    }

    static func encode(_ positions: [String: JSONValue]) -> JSONValue? {
        positions.isEmpty ? nil : .object(["workflows": .object(positions)])
    }

    static func decode(_ position: JSONValue, perPage: Int) throws -> [String: CloudflareStreamPosition] {
        guard case .object(let members) = position, case .object(let workflows)? = members["workflows"] else {
            throw GatewayError.invalid("cursor", "does not hold a Cloudflare list position")
        }
        var starts: [String: CloudflareStreamPosition] = [:]
        for (name, value) in workflows {
            guard let stream = CloudflareStreamPosition(value, perPage: perPage) else {
                throw GatewayError.invalid("cursor", "does not hold a Cloudflare list position")
            }
            starts[name] = stream
        }
        return starts
    }
}
