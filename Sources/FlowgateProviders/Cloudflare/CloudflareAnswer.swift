import FlowgateCore

/// A successful v4 answer: `{success: true, errors, messages, result, result_info?}` (upstreams.md §4.8).
///
/// A 2xx must be that envelope; anything else — not JSON, `success: false` beside a 200, no `result` —
/// breaks the contract (`502 UPSTREAM_ERROR`). `result` may be null (events answer `unknown`): callers
/// that need an object read it with ``UpstreamJSON/object(_:_:)``.
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
        switch envelope["result_info"] {
        case nil, .null?: resultInfo = nil
        case let info?: resultInfo = try json.object(info, "result_info")
        }
    }

    /// The cursor of the next page; nil (or empty) on the last one.
    func nextCursor(_ json: UpstreamJSON) throws -> String? {
        guard let cursor = try json.optionalString(resultInfo?["cursor"], "result_info.cursor"), !cursor.isEmpty else { return nil }
        return cursor
    }

    func totalCount(_ json: UpstreamJSON) throws -> Int? {
        try json.optionalInt(resultInfo?["total_count"], "result_info.total_count")
    }
}
