import FlowgateCore
import Foundation

/// `GET /v1/instances` on a Cloudflare connection. Cloudflare lists instances per workflow, so a
/// connection-wide list reads every workflow's list concurrently and merges them newest first with
/// ``PageMerge``, exactly as the server merges connections.
///
/// Positions: each workflow's list is a stream whose position is `{"cursor": <upstream cursor or null
/// for the first page>, "skip": <items of that page already consumed>}`; the connection's position is
/// `{"workflows": {<name>: <stream position>}}` holding only the workflows with items left. Workflows
/// deployed after the first page are not in it and are left out until a new listing (their instances
/// are all newer than where the listing began); a workflow deleted meanwhile just ends.
struct CloudflareListing: Sendable {
    let adapter: CloudflareAdapter

    /// Upstream pages read per workflow and request when the gateway filters: beyond this the page ends
    /// early and the cursor resumes the scan (DESIGN §2: bounded, fewer items than `limit` allowed).
    static let maxPagesPerWorkflow = 5

    private var connection: ProviderConnection { adapter.connection }

    func page(_ request: InstancePageRequest) async throws -> InstancePage {
        let starts = try await startPositions(request)
        let names = starts.keys.sorted()
        let pages = try await withThrowingTaskGroup(of: (String, InstancePage).self) { group in
            for name in names {
                let start = starts[name] ?? CloudflareStreamPosition.first
                group.addTask { (name, try await scan(name, from: start, request: request)) }
            }
            var pages: [String: InstancePage] = [:]
            for try await (name, page) in group { pages[name] = page }
            return pages
        }
        let streams = names.map { pages[$0] ?? InstancePage(items: [], end: nil) }
        let merged = PageMerge.merge(streams, limit: request.limit)
        // Each stream's continuation once nothing, then each taken item, is consumed.
        var positions: [String: JSONValue] = [:]
        var counts = Array(repeating: 0, count: streams.count)
        func place(_ index: Int) {
            let start = (starts[names[index]] ?? .first).json
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
            items.append(.init(instance: streams[stream].items[item].instance, after: Self.encode(positions)))
        }
        return InstancePage(items: items, end: Self.encode(positions), bounded: streams.contains(where: \.bounded))
    }

    /// Where each workflow starts: the cursor's positions, or every workflow (one with a `definition`
    /// filter) from its first page.
    private func startPositions(_ request: InstancePageRequest) async throws -> [String: CloudflareStreamPosition] {
        if let position = request.position { return try Self.decode(position, connection: connection) }
        if let workflow = request.filter.definition {
            try CloudflareNativeID.checkWorkflow(workflow, field: "definition", connection: connection)
            return [workflow: .first]
        }
        let workflows = try await adapter.workflows(route: "list_workflows")
        var starts: [String: CloudflareStreamPosition] = [:]
        for workflow in workflows {
            let name = try adapter.json.string(try adapter.json.object(workflow, "result[]")["name"], "result[].name")
            starts[name] = .first
        }
        return starts
    }

    /// Up to `limit` admitted instances of one workflow from `start`, each with the stream position after it.
    private func scan(_ workflow: String, from start: CloudflareStreamPosition, request: InstancePageRequest) async throws -> InstancePage {
        let pushed = CloudflareStatus.pushdown(request.filter.statuses)
        let filtersLocally = request.filter.statuses != nil && pushed == nil
        // Filtering locally reads whole pages; otherwise every item read is kept, so read no more than needed.
        let perPage = filtersLocally ? 100 : min(100, request.limit)
        var cursor = start.cursor
        var skip = start.skip
        var items: [InstancePage.Item] = []
        for _ in 1...Self.maxPagesPerWorkflow {
            var call = try adapter.upstreamCall("list_instances", ["workflow": workflow])
            call.addQuery("per_page", String(perPage))
            call.addQuery("cursor", cursor)
            call.addQuery("status", pushed)
            call.addQuery("date_start", request.filter.startedAfter.map { CloudflareTime.filterBound($0, roundingUp: false) })
            call.addQuery("date_end", request.filter.startedBefore.map { CloudflareTime.filterBound($0, roundingUp: true) })
            let answer: CloudflareAnswer
            do {
                answer = try await adapter.send(call)
            } catch let error as GatewayError where error.upstream?.code == "10200" && request.filter.definition == nil {
                // Deleted since the workflow list was read: nothing more to list from it.
                return InstancePage(items: items, end: nil)
            }
            let raw = try adapter.json.array(answer.result, "result")
            let next = try answer.nextCursor(adapter.json)
            if skip >= raw.count {
                guard let next else { return InstancePage(items: items, end: nil) }
                skip -= raw.count
                cursor = next
                continue
            }
            for index in skip..<raw.count {
                let instance = try adapter.mapping.listed(raw[index], workflow: workflow, includeRaw: request.includeRaw)
                guard request.filter.admits(instance) else { continue }
                let after: CloudflareStreamPosition? =
                    index + 1 < raw.count ? CloudflareStreamPosition(cursor: cursor, skip: index + 1) : next.map { .init(cursor: $0, skip: 0) }
                items.append(.init(instance: instance, after: after?.json))
                if items.count == request.limit { return InstancePage(items: items, end: after?.json) }
            }
            guard let next else { return InstancePage(items: items, end: nil) }
            cursor = next
            skip = 0
        }
        // Bounded out: the next request resumes the scan here.
        return InstancePage(items: items, end: CloudflareStreamPosition(cursor: cursor, skip: skip).json, bounded: true)
    }

    static func encode(_ positions: [String: JSONValue]) -> JSONValue? {
        positions.isEmpty ? nil : .object(["workflows": .object(positions)])
    }

    static func decode(_ position: JSONValue, connection: ProviderConnection) throws -> [String: CloudflareStreamPosition] {
        guard case .object(let members) = position, case .object(let workflows)? = members["workflows"] else {
            throw GatewayError.invalid("cursor", "does not hold a Cloudflare list position")
        }
        var starts: [String: CloudflareStreamPosition] = [:]
        for (name, value) in workflows {
            guard let stream = CloudflareStreamPosition(value) else { throw GatewayError.invalid("cursor", "does not hold a Cloudflare list position") }
            starts[name] = stream
        }
        return starts
    }
}

/// Where one workflow's list continues: the upstream page at `cursor` (nil: the first page), after its
/// first `skip` items.
struct CloudflareStreamPosition: Sendable, Hashable {
    var cursor: String?
    var skip: Int

    static let first = CloudflareStreamPosition(cursor: nil, skip: 0)

    init(cursor: String?, skip: Int) {
        self.cursor = cursor
        self.skip = skip
    }

    init?(_ value: JSONValue) {
        guard case .object(let members) = value, case .int(let skip)? = members["skip"], skip >= 0 else { return nil }
        switch members["cursor"] {
        case .null?: cursor = nil
        case .string(let text)?: cursor = text
        default: return nil
        }
        self.skip = Int(skip)
    }

    var json: JSONValue {
        .object(["cursor": cursor.map(JSONValue.string) ?? .null, "skip": .int(Int64(skip))])
    }
}
