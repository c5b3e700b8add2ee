import FlowgateCore
import Foundation

/// The Geotareas error codes (its error envelope documentation) and what each means for a caller of the gateway.
enum GeotareasErrors {
    /// Errors of every call but the login. `UNAUTHORIZED` lands here only after the one re-login.
    static let table = UpstreamErrorTable([
        // Missing or malformed headers: the gateway built the call wrong, nothing the caller can fix.
        "BAD_REQUEST": .init(.upstreamError, "Geotareas refused the headers the gateway sent"),
        "VALIDATION_ERROR": .init(.unprocessable, "Geotareas refused the request as invalid"),
        "UNAUTHORIZED": .init(.upstreamAuthFailed, "Geotareas refused the connection's credentials, even after a fresh login"),
        "FORBIDDEN": .init(.forbidden, "The connection's Geotareas user lacks the permission for this action"),
        "NOT_FOUND": .init(.notFound, "Geotareas has no such workflow instance or definition"),
        "RATE_LIMITED": .init(.rateLimited, "Geotareas rate limit reached"),
        "INTERNAL_ERROR": .init(.upstreamError, "Geotareas failed with an internal error"),
    ])

    /// The login's own reading: a refusal there means the configured email, password or tenant is wrong.
    static let loginTable = UpstreamErrorTable([
        "BAD_REQUEST": .init(.upstreamError, "Geotareas refused the login headers the gateway sent"),
        "VALIDATION_ERROR": .init(.upstreamAuthFailed, "Geotareas refused the configured login email or password as malformed"),
        "UNAUTHORIZED": .init(.upstreamAuthFailed, "Geotareas refused the configured login (email, password or tenant)"),
        "FORBIDDEN": .init(.upstreamAuthFailed, "Geotareas refused the configured login"),
        "NOT_FOUND": .init(.upstreamError, "Geotareas has no login endpoint at the configured address"),
        "RATE_LIMITED": .init(.rateLimited, "Geotareas login limit reached (5 per 30 s, or the account is locked for a minute)"),
        "INTERNAL_ERROR": .init(.upstreamError, "Geotareas failed with an internal error during login"),
    ])

    static func failure(_ reply: UpstreamReply, table: UpstreamErrorTable = table, connection: ProviderConnection) -> GatewayError {
        var code: String?
        var message: String?
        if case .object(let root)? = UpstreamJSON.parse(reply.body), case .object(let error)? = root["error"] {
            code = error["code"]?.stringValue
            message = error["message"]?.stringValue
        }
        let upstream = GatewayError.Upstream(status: reply.status, code: code, message: connection.scrub(message))
        let retryAfter = RateLimitFeedback.retryAfterSeconds(reply, provider: .geotareas)
        if let code, let row = table[code] {
            return connection.error(row.code, row.message, upstream: upstream, retryAfter: row.code == .rateLimited ? retryAfter : nil)
        }
        let canonical = UpstreamErrorTable.byStatus(reply.status)
        return connection.error(
            canonical, "Geotareas answered HTTP \(reply.status)", upstream: upstream, retryAfter: canonical == .rateLimited ? retryAfter : nil
        )
    }
}
