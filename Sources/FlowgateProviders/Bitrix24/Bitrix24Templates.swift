import FlowgateCore
import Synchronization

/// Which path serves a Bitrix24 connection's bizproc templates. The facade's start page names
/// `GET /v1/entities/bizproc-templates` (route `list_definitions`); third-party notes observed
/// `GET /v1/bizproc-templates` (route `list_definitions_fallback`). The documented one is tried
/// first; a `404` tries the other. The one that answered is remembered for the connection (adapters
/// live as long as the process) and announced once; should it start answering `404`, the other is
/// tried again.
final class Bitrix24TemplatesPath: Sendable {
    static let routes = ["list_definitions", "list_definitions_fallback"]

    private let answered = Mutex<String?>(nil)

    /// The routes to try, the one that answered last first.
    var candidates: [String] {
        let known = answered.withLock { $0 }
        guard let known else { return Self.routes }
        return [known] + Self.routes.filter { $0 != known }
    }

    /// Records that `route` answered; true when that is news (first time, or a switch).
    func record(_ route: String) -> Bool {
        answered.withLock { known in
            defer { known = route }
            return known != route
        }
    }
}

extension Bitrix24Adapter {
    /// Every template, page by page (`limit`/`offset` of the generic entity list). Pages are counted in
    /// upstream items, so a template the mapping could not use never shifts the next offset. The list
    /// ends at `meta.total` (documented for entity lists), else when `meta.hasMore` is false, else at a
    /// page shorter than asked.
    public func listDefinitions(includeRaw: Bool) async throws -> [Definition] {
        var definitions: [Definition] = []
        var offset = 0
        for _ in 0..<Self.maxTemplatePages {
            let root = try await templatesPage(offset: offset)
            let items = try mapping.json.array(root["data"], "data")
            for (index, item) in items.enumerated() {
                definitions.append(try mapping.definition(item, at: "data[\(index)]", includeRaw: includeRaw))
            }
            offset += items.count
            if items.isEmpty || !hasMore(root, read: offset, pageCount: items.count) { break }
        }
        return definitions
    }

    private func hasMore(_ root: [String: JSONValue], read: Int, pageCount: Int) -> Bool {
        let json = mapping.json
        let meta = UpstreamObject(json.members(root["meta"], "meta") ?? [:])
        if let total = json.integer(meta["total"], "meta.total") { return read < total }
        if meta["total"] == nil { json.drift("meta.total", nil) }
        if let more = json.flag(meta["hasMore"], "meta.hasMore") { return more }
        return pageCount >= Self.templatePageSize
    }

    /// One page from whichever templates path answers (see ``Bitrix24TemplatesPath``).
    private func templatesPage(offset: Int) async throws -> [String: JSONValue] {
        var lastFailure: UpstreamReply?
        for route in templatesPath.candidates {
            var call = try connection.routes.call(route)
            call.addQuery("limit", String(Self.templatePageSize))
            call.addQuery("offset", String(offset))
            let authorized = try authorized(call)
            let reply = try await transport.send(authorized)
            if reply.status == 404 {
                lastFailure = reply
                continue
            }
            guard reply.isSuccess else { throw failure(reply, of: authorized) }
            if templatesPath.record(route) {
                connection.notice("Bitrix24 serves bizproc templates at \(call.path) for connection \(connection.name)")
            }
            return try mapping.envelope(reply)
        }
        throw connection.error(
            .upstreamError, "Bitrix24 answered 404 on both bizproc templates paths (/v1/entities/bizproc-templates, /v1/bizproc-templates)",
            upstream: lastFailure.map { .init(status: $0.status, code: Bitrix24Errors.Envelope($0).code, message: nil) }
        )
    }
}
