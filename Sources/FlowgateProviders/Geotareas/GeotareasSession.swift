import FlowgateCore
import Foundation
import Synchronization

/// One connection's Geotareas login: a JWT obtained lazily, shared by every request, renewed ~5 min
/// before it expires or when the upstream stops accepting it (Geotareas' authentication documentation).
///
/// Logins are single-flight: whoever needs a token while none is valid starts the one login, everyone
/// else awaits that same login. The login limit is 5 per 30 s with a lockout after failed attempts, so a
/// refused login is remembered for a while and answered locally instead of being retried per request.
final class GeotareasSession: Sendable {
    /// Renew this long before the token's expiry, so no call races the deadline.
    static let renewalMargin: TimeInterval = 5 * 60
    /// The documented lifetime, used when the token does not say.
    static let defaultLifetime: TimeInterval = 60 * 60
    /// How long a login refused for its credentials is answered locally: repeating it cannot succeed
    /// until the operator fixes the config, and five wrong attempts in 30 s lock the account.
    static let refusedHold: TimeInterval = 30

    struct Token: Sendable {
        var jwt: String
        var renewAt: Date
    }

    private struct State {
        var token: Token?
        var login: Task<String, any Error>?
        /// A recent login failure and until when it is repeated instead of logging in again.
        var refused: (error: GatewayError, until: Date)?
    }

    private enum Step {
        case use(String)
        case fail(GatewayError)
        case wait(Task<String, any Error>)
    }

    private let state = Mutex(State())
    private let now: @Sendable () -> Date
    private let performLogin: @Sendable () async throws -> (jwt: String, lifetime: TimeInterval?)

    /// - Parameter login: one upstream login; answers the JWT and its lifetime if the JWT states one.
    init(now: @escaping @Sendable () -> Date, login: @escaping @Sendable () async throws -> (jwt: String, lifetime: TimeInterval?)) {
        self.now = now
        self.performLogin = login
    }

    /// A token to call with. `rejected` is a token the upstream just refused: a fresh one is needed
    /// unless another request already replaced it.
    func token(replacing rejected: String? = nil) async throws -> String {
        let moment = now()
        let step: Step = state.withLock { state in
            if let token = state.token, token.jwt != rejected, token.renewAt > moment { return .use(token.jwt) }
            if let login = state.login { return .wait(login) }
            if let refused = state.refused, refused.until > moment { return .fail(refused.error) }
            state.token = nil
            let login = Task { try await self.logIn() }
            state.login = login
            return .wait(login)
        }
        switch step {
        case .use(let jwt): return jwt
        case .fail(let error): throw error
        case .wait(let login):
            do {
                return try await login.value
            } catch let error as GatewayError {
                throw error
            } catch {
                throw GatewayError(.upstreamError, "The Geotareas login failed")
            }
        }
    }

    /// Runs the one login and publishes its outcome before anyone waiting on it resumes.
    private func logIn() async throws -> String {
        let started = now()
        do {
            let (jwt, stated) = try await performLogin()
            let lifetime = stated.flatMap { $0 > 0 ? $0 : nil } ?? Self.defaultLifetime
            let renewAt = started + lifetime - min(Self.renewalMargin, lifetime / 2)
            state.withLock { state in
                state.token = Token(jwt: jwt, renewAt: renewAt)
                state.login = nil
                state.refused = nil
            }
            return jwt
        } catch {
            let gatewayError = error as? GatewayError ?? GatewayError(.upstreamError, "The Geotareas login failed")
            let hold: TimeInterval? =
                switch gatewayError.code {
                case .upstreamAuthFailed, .forbidden: Self.refusedHold
                case .rateLimited: TimeInterval(gatewayError.retryAfterSeconds ?? Int(Self.refusedHold))
                default: nil
                }
            state.withLock { state in
                state.login = nil
                state.refused = hold.map { (gatewayError, now() + $0) }
            }
            throw gatewayError
        }
    }

    /// Seconds a JWT says it lives: `exp - iat` when both are there (immune to clock skew between the
    /// gateway and Geotareas), else `exp` against the local clock; nil when the payload says neither.
    static func lifetime(of jwt: String, now: Date) -> TimeInterval? {
        let parts = jwt.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), case .object(let claims)? = UpstreamJSON.parse(Array(data)) else { return nil }
        guard let exp = seconds(claims["exp"]) else { return nil }
        if let iat = seconds(claims["iat"]) { return exp - iat }
        return exp - now.timeIntervalSince1970
    }

    private static func seconds(_ value: JSONValue?) -> TimeInterval? {
        switch value {
        case .int(let number)?: TimeInterval(number)
        case .double(let number)?: number
        default: nil
        }
    }
}
