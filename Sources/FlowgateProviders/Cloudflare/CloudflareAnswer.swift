import FlowgateCore

/// A successful v4 answer: `{success: true, errors, messages, result, result_info?}` (Cloudflare's v4
/// envelope, https://developers.cloudflare.com/fundamentals/api/).
///
/// A 2xx must be that envelope; anything else — not JSON, `success: false` beside a 200, no `result` —
/// breaks the contract (`502 UPSTREAM_ERROR`). `result` may be null (events answer `unknown`): callers
/// that need an object read it with ``UpstreamJSON/object(_:_:)``. `result_info` is read tolerantly.
struct CloudflareAnswer: Sendable {
    var result: JSONValue
    var resultInfo: [String: JSONValue]?
    let status: Int

    init(_ reply: UpstreamReply, json: UpstreamJSON) throws {
        let envelope = try json.object(try json.document(reply), "the answer")
        guard case .bool(true)? = envelope["success"] else {
            let reported = CloudflareErrors.firstError(reply)
            throw json.connection.error(
                .upstreamError, "Cloudflare answered \(reply.status) but reported a failure",
                upstream: .init(status: reply.status, code: reported?.code, message: json.connection.scrub(reported?.message))
            )
        }
        guard let result = envelope["result"] else { throw json.broken("result is missing", status: reply.status) }
        self.result = result
        self.status = reply.status
        resultInfo = json.members(envelope["result_info"], "result_info")
    }

    /// `result_info` of a list: `count`, `per_page`, `total_count`, and `page` or `cursor`.
    func listInfo(_ json: UpstreamJSON) -> CloudflareListInfo {
        let info = UpstreamObject(resultInfo ?? [:])
        return CloudflareListInfo(
            cursor: json.text(info["cursor"], "result_info.cursor").flatMap { $0.isEmpty ? nil : $0 },
            perPage: json.integer(info["per_page"], "result_info.per_page"),
            totalCount: json.integer(info["total_count"], "result_info.total_count")
        )
    }
}

/// What a list answer says about paging.
struct CloudflareListInfo: Sendable {
    /// The cursor of the next page; nil on the last page and in page mode.
    var cursor: String?
    var perPage: Int?
    var totalCount: Int?
}

/// One upstream page of a list, and the page that follows it (nil: the list ends here).
///
/// An answer that carries a cursor is followed by cursor, whatever mode asked for it. A page-mode
/// answer without one continues at the next page number while `page × per_page < total_count`, or,
/// without a total, while pages come back full. A cursor-mode answer without a cursor is the last page.
struct CloudflareListPage: Sendable {
    var items: [JSONValue]
    var next: CloudflareStreamPosition.Page?

    init(items: [JSONValue], asked: CloudflareStreamPosition.Page, info: CloudflareListInfo) {
        self.items = items
        if let cursor = info.cursor {
            next = .cursor(cursor)
        } else if case .number(let number, let asked) = asked, !items.isEmpty {
            // An upstream that serves smaller pages than asked numbers its pages by its own size.
            let perPage = info.perPage.flatMap { (1...asked).contains($0) ? $0 : nil } ?? asked
            let more = info.totalCount.map { number * perPage < $0 } ?? (items.count >= perPage)
            next = more ? .number(number + 1, perPage: perPage) : nil
        } else {
            next = nil
        }
    }
}
