import Foundation
import HTTPTypes
import Hummingbird

/// The user a valid JWT speaks for.
struct GeotareasPrincipal: Sendable {
    /// The login the timeline and `cancelled_by` show (the part of the email before `@`).
    var login: String
    var permissions: Set<String>
}

/// Checks the three headers every protected call needs: a missing one is
/// 400 `BAD_REQUEST`; a wrong tenant, key or token is 401 `UNAUTHORIZED`; a missing permission 403 `FORBIDDEN`.
struct GeotareasAuthenticator: Sendable {
    let credentials: GeotareasEmulator.Credentials
    let tokens: GeotareasTokenIssuer
    let now: @Sendable () -> Date

    func authenticate(_ request: Request, requiring permission: GeotareasEmulator.Permission) throws -> GeotareasPrincipal {
        guard let tenant = request.headers[.geotareasTenant], !tenant.isEmpty else {
            throw GeotareasError.badRequest("The tenant header is required.")
        }
        guard let authorization = request.headers[.authorization], !authorization.isEmpty else {
            throw GeotareasError.badRequest("The Authorization header is required.")
        }
        guard let apiKey = request.headers[.geotareasAPIKey], !apiKey.isEmpty else {
            throw GeotareasError.badRequest("The X-API-Key header is required.")
        }
        // [INF] An unknown tenant is treated like a bad credential: the JWT and key belong to one tenant.
        guard tenant.lowercased() == credentials.tenant.lowercased() else { throw GeotareasError.unauthorized("Invalid tenant.") }
        guard apiKey == credentials.apiKey else { throw GeotareasError.unauthorized("Invalid or expired API key.") }
        let scheme = "bearer "
        guard authorization.count > scheme.count, authorization.lowercased().hasPrefix(scheme) else {
            throw GeotareasError.unauthorized("Invalid or expired token.")
        }
        let token = String(authorization.dropFirst(scheme.count)).trimmingCharacters(in: .whitespaces)
        guard case .valid(let claims) = tokens.verify(token, now: now()), claims.tenant.lowercased() == tenant.lowercased() else {
            throw GeotareasError.unauthorized("Invalid or expired token.")
        }
        guard claims.permissions.contains(permission.rawValue) else {
            throw GeotareasError.forbidden("User lacks required permission \(permission.rawValue).")
        }
        return GeotareasPrincipal(login: Self.login(of: claims.email), permissions: Set(claims.permissions))
    }

    static func login(of email: String) -> String {
        String(email.split(separator: "@").first ?? Substring(email))
    }
}
