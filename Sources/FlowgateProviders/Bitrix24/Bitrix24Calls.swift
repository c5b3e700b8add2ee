import FlowgateCore

/// Sending vibecode calls: credentials on every call, the error table on every failure.
extension Bitrix24Adapter {
    /// `X-Api-Key` always; `Authorization` only for an app key's user session (the vibecode keys page).
    func authorized(_ call: UpstreamCall) throws -> UpstreamCall {
        var call = call
        for header in try credentialHeaders() { call.addHeader(header.name, header.value) }
        return call
    }

    /// Sends a call and returns its 2xx reply; anything else becomes the canonical error. A read the
    /// portal refused with `BITRIX_UNAVAILABLE` (a 502, also how its ~10 req/s limit shows) is retried
    /// by the transport with backoff, like every idempotent read; writes never are (a slow portal may
    /// still have applied them).
    func send(_ call: UpstreamCall) async throws -> UpstreamReply {
        let call = try authorized(call)
        let reply = try await transport.send(call)
        guard reply.isSuccess else { throw failure(reply, of: call) }
        return reply
    }

    /// One page of `GET /v1/workflows` at `offset`: 50 running instances, newest `MODIFIED` first, and the
    /// documented `meta.total` the scan stops on.
    func workflowsPage(offset: Int, templateID: String?, includeRaw: Bool) async throws -> OffsetScan.Page {
        var call = try connection.routes.call("list_instances")
        call.addQuery("templateId", templateID)
        if offset > 0 { call.addQuery("offset", String(offset)) }
        let reply = try await send(call)
        let root = try mapping.envelope(reply)
        let items = try mapping.json.array(root["data"], "data")
        let instances = try items.enumerated().map { index, item in
            try mapping.instance(item, at: "data[\(index)]", includeRaw: includeRaw)
        }
        return OffsetScan.Page(instances: instances, total: OffsetScan.total(root, json: mapping.json))
    }
}
