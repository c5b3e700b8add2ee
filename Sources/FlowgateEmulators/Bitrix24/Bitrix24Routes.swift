import Foundation
import HTTPTypes
import Hummingbird

extension Bitrix24Emulator {
    /// `GET /v1/workflows` (its vibecode page): running instances only, newest MODIFIED first, fixed 50-row pages.
    func listWorkflows(_ request: Request) async throws -> Response {
        try await serve(request) { _, now in
            let query = request.uri.queryParameters
            let templateID = try Self.number(query.get("templateId"), named: "templateId")
            let startedBy = try Self.number(query.get("startedBy"), named: "startedBy")
            let offset = try Self.number(query.get("offset"), named: "offset") ?? 0
            try admitPortal(now)
            let (page, total) = store.running(templateID: templateID, startedBy: startedBy.map(String.init), offset: offset, now: now)
            return Bitrix24JSON.response(status: .ok, Bitrix24InstancePage(data: page.map(\.wire), meta: .init(total: total)))
        }
    }

    /// `POST /v1/workflows/start`. [GAP] 200 or 201 is unpublished; [INF] 201, as the platform's creates answer.
    func startWorkflow(_ request: Request) async throws -> Response {
        try await serve(request) { caller, now in
            var request = request
            let start = try Bitrix24StartRequest(body: try await request.collectBody(upTo: 1 << 20))
            try admitPortal(now)
            let id = try store.start(
                templateID: start.templateID, entityType: start.entityType, entityID: start.entityID, parameters: start.parameters,
                startedBy: caller.userID, now: now
            )
            return Bitrix24JSON.response(status: .created, Bitrix24StartResponse(data: .init(workflowId: id)))
        }
    }

    /// `DELETE /v1/workflows/:id` (its vibecode page): 204 with an empty body, or 404 when no running instance has the
    /// id; an instance that already ended is as gone as one that never existed, since only running ones are visible.
    func terminateWorkflow(_ request: Request, id rawID: String) async throws -> Response {
        try await serve(request) { _, now in
            let query = request.uri.queryParameters
            let id = rawID.removingPercentEncoding ?? rawID
            // [INF] only the documented literal "true" forces; anything else is the soft default.
            let force = query.get("force") == "true"
            let reason = query.get("status").flatMap { $0.isEmpty ? nil : $0 }
            try admitPortal(now)
            guard store.terminate(id: id, force: force, reason: reason, now: now) else { throw Bitrix24Error.workflowNotFound }
            return Response(status: .noContent)
        }
    }

    /// The bizproc template list: a generic entity list (`limit` default 50, max 5000, `offset`), open only to
    /// app keys with a user session [3P]. A path the `templates_path` switch turns off is unknown: `404`.
    func listTemplates(_ request: Request, documentedPath: Bool) async throws -> Response {
        guard variants(Bitrix24TemplatesRoute.self).serves(documentedPath: documentedPath) else { return Response(status: .notFound) }
        return try await serve(request, needsUserSession: true) { _, now in
            let query = request.uri.queryParameters
            let limit = try Self.number(query.get("limit"), named: "limit") ?? 50
            let offset = try Self.number(query.get("offset"), named: "offset") ?? 0
            guard (1...5000).contains(limit) else { throw Bitrix24Error.validation("limit must be between 1 and 5000") }
            try admitPortal(now)
            let templates = store.templates.sorted { $0.id < $1.id }
            let page = templates.dropFirst(offset).prefix(limit)
            let meta = Bitrix24TemplatePage.Meta(total: templates.count, hasMore: offset + page.count < templates.count)
            let keys = variants(Bitrix24TemplateKeys.self)
            let shape = variants(Bitrix24DocumentTypeShape.self)
            return Bitrix24JSON.response(status: .ok, Bitrix24TemplatePage(data: page.map { $0.wire(keys: keys, documentType: shape) }, meta: meta))
        }
    }

    /// Runs the checks every workflow call shares, in the platform's order: the key (and session), the
    /// per-key rate limit, the endpoint's key-type rule, the `bizproc` scope; then the route itself. Every
    /// answer to a recognised key carries that key's rate-limit counters.
    private func serve(
        _ request: Request, needsUserSession: Bool = false, _ route: (Bitrix24Caller, Date) async throws -> Response
    ) async throws -> Response {
        let now = self.now()
        let caller = try authenticate(request.headers, now: now)
        let counters: HTTPFields
        switch limiter.admitPlatform(key: caller.key, at: now) {
        case .refused(let retryAfter):
            var error = Bitrix24Error.rateLimited(retryAfter: max(1, Int(retryAfter.rounded(.up))))
            error.headers = rateLimitHeaders(remaining: 0, resetAt: now + retryAfter)
            throw error
        case .admitted(let remaining, let resetAt):
            counters = rateLimitHeaders(remaining: remaining, resetAt: resetAt)
        }
        do {
            // [INF] the key-type rule comes before the scope: it is a property of the endpoint, not of the key's settings.
            if needsUserSession, !caller.isApp { throw Bitrix24Error.oauthRequired }
            guard caller.hasBizproc else { throw Bitrix24Error.scopeDenied }
            var response = try await route(caller, now)
            response.headers.append(contentsOf: counters)
            return response
        } catch var error as Bitrix24Error {
            error.headers.append(contentsOf: counters)
            throw error
        }
    }

    private func admitPortal(_ now: Date) throws(Bitrix24Error) {
        guard limiter.admitPortal(at: now) else { throw .portalLimit }
    }

    /// [3P] `X-RateLimit-*` on every answer; [INF] `Reset` is when a slot frees up, a Unix time in seconds
    /// or the seconds left, as the `reset` switch says.
    private func rateLimitHeaders(remaining: Int, resetAt: Date) -> HTTPFields {
        var fields = HTTPFields()
        let reset = variants(RateLimitResetStyle.self).value(resetAt: resetAt.timeIntervalSince1970, now: now().timeIntervalSince1970)
        let values = [
            ("X-RateLimit-Limit", String(limiter.limits.requestsPerMinute)), ("X-RateLimit-Remaining", String(remaining)),
            ("X-RateLimit-Reset", reset),
        ]
        for (name, value) in values {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        return fields
    }

    /// A non-negative whole-number query value; [INF] anything else is a 400 `VALIDATION_ERROR`.
    private static func number(_ value: String?, named name: String) throws(Bitrix24Error) -> Int? {
        guard let value else { return nil }
        guard let number = Int(value), number >= 0 else { throw .validation("\(name) must be a non-negative number") }
        return number
    }
}
