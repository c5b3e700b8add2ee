import FlowgateCore

/// The vibecode error codes (https://vibecode.bitrix24.com/docs/errors) and what each means for a
/// caller of the gateway.
///
/// Key, session and scope problems are the gateway's credential at fault, so 401-class codes become
/// `502 UPSTREAM_AUTH_FAILED` (the operator must act) and 403-class codes `403 FORBIDDEN`.
enum Bitrix24Errors {
    static let table = UpstreamErrorTable([
        "MISSING_API_KEY": .init(.upstreamAuthFailed, "Bitrix24 received no API key from the gateway"),
        "INVALID_API_KEY": .init(.upstreamAuthFailed, "Bitrix24 refused the connection's API key (unknown, expired or deleted)"),
        "INVALID_APP_KEY": .init(.upstreamAuthFailed, "Bitrix24 needs a user session for the connection's app key (configure user_token)"),
        "TOKEN_MISSING": .init(.upstreamAuthFailed, "The connection's Bitrix24 key has no connected portal tokens"),
        "TOKEN_EXPIRED": .init(.upstreamAuthFailed, "The connection's Bitrix24 user session expired; the user must re-authorize the app"),
        "SCOPE_DENIED": .init(.forbidden, "The connection's Bitrix24 key lacks the bizproc scope"),
        "BITRIX_ACCESS_DENIED": .init(.forbidden, "Bitrix24 denied access to this action"),
        "OAUTH_REQUIRED": .init(.forbidden, "Bitrix24 serves this only to app keys with a user session, not to the connection's key type"),
        "WRITE_BLOCKED_READONLY_KEY": .init(.forbidden, "The connection's Bitrix24 key is read-only"),
        "KEY_POLICY_READONLY_REQUIRED": .init(.forbidden, "The Bitrix24 portal's policy allows read-only keys only"),
        "ENTITY_NOT_FOUND": .init(.notFound, "Bitrix24 found no such workflow, template or CRM record"),
        "RATE_LIMITED": .init(.rateLimited, "Bitrix24 rate limit reached"),
        "BITRIX_UNAVAILABLE": .init(.upstreamUnavailable, "The Bitrix24 portal is unavailable or at its request limit"),
        "QUEUE_TIMEOUT": .init(.upstreamTimeout, "Bitrix24 timed out queueing the call"),
        "VALIDATION_ERROR": .init(.unprocessable, "Bitrix24 refused the request as invalid"),
        "BITRIX_ERROR": .init(.unprocessable, "Bitrix24 refused the request"),
        "INTERNAL_ERROR": .init(.upstreamError, "Bitrix24 failed with an internal error"),
        "BATCH_LIMIT_EXCEEDED": .init(.upstreamError, "Bitrix24 refused a batch the gateway sent"),
        "ERROR_LOOP_DETECTED": .init(.upstreamError, "Bitrix24 stopped repeated identical failing calls"),
    ])

    /// `{success: false, error: {code, message, retryAfter?}}`; tolerant of a body that is not one.
    struct Envelope {
        var code: String?
        var message: String?
        var retryAfter: Int?

        init(_ reply: UpstreamReply) {
            guard case .object(let root)? = UpstreamJSON.parse(reply.body), case .object(let error)? = root["error"] else { return }
            code = error["code"]?.stringValue
            message = error["message"]?.stringValue
            if case .int(let seconds)? = error["retryAfter"] { retryAfter = Int(max(0, seconds)) }
        }
    }

    static func failure(_ reply: UpstreamReply, connection: ProviderConnection) -> GatewayError {
        let envelope = Envelope(reply)
        let upstream = GatewayError.Upstream(status: reply.status, code: envelope.code, message: connection.scrub(envelope.message))
        let stated = envelope.retryAfter ?? RateLimitFeedback.retryAfterHeader(reply)
        let code = envelope.code.flatMap { table[$0] }?.code ?? UpstreamErrorTable.byStatus(reply.status)
        let message = envelope.code.flatMap { table[$0] }?.message ?? "Bitrix24 answered HTTP \(reply.status)"
        // A 429 that does not say when still gets an answer (the docs' 1–2 s); other codes keep what
        // they state (a 504 queue timeout carries `retryAfter` too).
        let retryAfter = code == .rateLimited ? RateLimitFeedback.retryAfterSeconds(reply, provider: .bitrix24) : stated
        return connection.error(code, message, upstream: upstream, retryAfter: retryAfter)
    }
}
