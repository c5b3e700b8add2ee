import Foundation
import Hummingbird

extension GeotareasEmulator {
    /// `POST /apidev/v1/login`: `tenant` header and `{email, password}` give a JWT valid
    /// one hour. 5 requests per 30 s per account; 5 wrong passwords in 30 s lock the account for 60 s.
    func addLoginRoute(to router: Router<EmulatorRequestContext>) {
        let credentials = self.credentials
        let tokens = self.tokens
        let loginGuard = self.loginGuard
        let now = self.now
        router.post("/apidev/v1/login") { request, _ -> Response in
            let start = now()
            let untouched = GeotareasRateDecision.untouched(.login, now: start).headers
            do {
                guard let tenant = request.headers[.geotareasTenant], !tenant.isEmpty else {
                    throw GeotareasError.badRequest("The tenant header is required.")
                }
                let body = try await GeotareasBody(request)
                guard let email = try body.string("email", required: true, maxLength: 254), Self.looksLikeEmail(email) else {
                    throw GeotareasError.validation("email must be a valid email address.")
                }
                guard let password = try body.string("password", required: true, maxLength: 256) else {
                    throw GeotareasError.validation("password is required.")
                }
                let account = "\(tenant.lowercased())|\(email.lowercased())"
                let decision = loginGuard.admit(account: account, now: start)
                guard decision.allowed else {
                    throw GeotareasError.rateLimited("Too many login attempts. Try again later.", headers: decision.headers)
                }
                // [INF] An unknown tenant answers like a wrong password: accounts live inside a tenant.
                let valid =
                    tenant.lowercased() == credentials.tenant.lowercased() && email.lowercased() == credentials.email.lowercased()
                    && password == credentials.password
                guard valid else {
                    loginGuard.recordFailure(account: account, now: start)
                    var error = GeotareasError.unauthorized("Invalid email or password.")
                    error.headers = decision.headers
                    throw error
                }
                loginGuard.recordSuccess(account: account)
                let token = tokens.issue(
                    subject: GeotareasAuthenticator.login(of: credentials.email), email: credentials.email, tenant: credentials.tenant,
                    permissions: credentials.permissions.map(\.rawValue).sorted(), now: start
                )
                var response = GeotareasEnvelope.object(GeotareasLoginResult(authorization: token))
                response.headers.append(contentsOf: decision.headers)
                return response
            } catch var error as GeotareasError {
                if error.headers[.geotareasRateLimit] == nil { error.headers.append(contentsOf: untouched) }
                return error.response
            }
        }
    }

    private static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
    }
}
