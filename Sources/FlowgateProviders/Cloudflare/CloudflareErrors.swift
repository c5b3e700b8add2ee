import FlowgateCore

/// Cloudflare's v4 answers judged: the error table, and the envelope a success must
/// have. Cloudflare publishes no per-code list for Workflows, so codes seen in the wild are mapped and
/// anything else falls back to the HTTP status.
enum CloudflareErrors {
    /// Every Workflows code seen in Cloudflare's answers (docs/providers.md). Decisions the documentation leaves open (docs/canonical-api.md#errors):
    /// - `10000` is the token: with HTTP 401 the credential is missing or invalid (`502
    ///   UPSTREAM_AUTH_FAILED`, the operator must act); with HTTP 403 the token is valid but not allowed
    ///   this action or account, which docs/canonical-api.md#errors calls `403 FORBIDDEN` (see ``forbiddenToken``).
    /// - `10002` is a body or parameter the gateway found valid and Cloudflare did not: `422`.
    /// - `10415` (duplicate id in a batch) is an id conflict like `10405`: `409`.
    /// - `971` is the code Cloudflare's global limit answers with; any HTTP 429 is `429` whatever its code.
    static let table = UpstreamErrorTable([
        "10000": .init(.upstreamAuthFailed, "Cloudflare rejected the gateway's API token; the connection's credentials need attention"),
        "10001": .init(.upstreamError, "Cloudflare Workflows failed with an internal error"),
        "10002": .init(.unprocessable, "Cloudflare refused the request's body or parameters"),
        "10200": .init(.notFound, "No such Cloudflare workflow"),
        "10208": .init(.forbidden, "Cron-triggered workflows need a paid Cloudflare plan"),
        "10400": .init(.notFound, "No such Cloudflare workflow instance"),
        "10401": .init(.conflict, "The instance's current status does not allow this change"),
        "10405": .init(.conflict, "An instance with this id already exists in the workflow"),
        "10415": .init(.conflict, "The same instance id appears twice in one batch"),
        "971": .init(.rateLimited, "Cloudflare's API rate limit for this token is exhausted"),
        "429": .init(.rateLimited, "Cloudflare's API rate limit for this token is exhausted"),
    ])

    static let forbiddenToken = UpstreamErrorTable.Row(
        .forbidden, "Cloudflare's API token is not allowed this action on this account (permission or account mismatch)"
    )

    /// The canonical error for a non-2xx answer.
    static func failure(_ reply: UpstreamReply, connection: ProviderConnection) -> GatewayError {
        let reported = firstError(reply)
        let code = reported?.code
        var row: UpstreamErrorTable.Row? = code.flatMap { table[$0] }
        if code == "10000", reply.status == 403 { row = forbiddenToken }
        if reply.status == 429 { row = table["429"] }
        let canonical = row?.code ?? UpstreamErrorTable.byStatus(reply.status)
        let message = row?.message ?? "Cloudflare answered HTTP \(reply.status)"
        let retryAfter = canonical == .rateLimited ? RateLimitFeedback.retryAfterSeconds(reply, provider: .cloudflare) : nil
        return connection.error(
            canonical, message, upstream: .init(status: reply.status, code: code, message: connection.scrub(reported?.message)),
            retryAfter: retryAfter
        )
    }

    /// `errors[0]` of an error envelope, its numeric code as a string; nil when the body is not the envelope.
    static func firstError(_ reply: UpstreamReply) -> (code: String?, message: String?)? {
        guard case .object(let document)? = UpstreamJSON.parse(reply.body), case .array(let errors)? = document["errors"],
            case .object(let first)? = errors.first
        else { return nil }
        let code: String? =
            switch first["code"] {
            case .int(let number)?: String(number)
            case .string(let text)?: text
            default: nil
            }
        return (code, first["message"]?.stringValue)
    }
}
