import Foundation
import HTTPTypes
import Hummingbird

/// What every answer under `/client/v4/` shares: the API token check (10000), the per-token limit with
/// its `Ratelimit` headers (429 / 971 and a five-minute block), the account check, and errors rendered in
/// the v4 envelope, including the router's own 404.
///
/// [INF] Only `Authorization: Bearer` is accepted: the legacy `X-Auth-Email` + `X-Auth-Key` pair is
/// documented but the emulator has no global key to check, so it answers those like a missing token.
struct CloudflareMiddleware: RouterMiddleware {
    typealias Context = EmulatorRequestContext
    static let prefix = "/client/v4/"

    let credentials: CloudflareEmulator.Credentials
    /// Nil: no limit and no `Ratelimit` headers (benchmarks only).
    let limiter: CloudflareRateLimiter?
    let now: @Sendable () -> Date

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard path.hasPrefix(Self.prefix) else { return try await next(request, context) }
        guard let token = Self.bearerToken(request), token == credentials.token else {
            return CloudflareError.authentication().response
        }
        let decision = limiter?.admit(token: token, now: now())
        var response: Response
        if let decision, !decision.allowed {
            response = CloudflareError.rateLimited(headers: [:]).response
        } else if let account = Self.accountID(in: path), account != credentials.accountID {
            response = CloudflareError.authentication(.forbidden).response
        } else {
            response = await Self.rendering { try await next(request, context) }
        }
        if let decision { response.headers.append(contentsOf: decision.headers) }
        return response
    }

    private static func bearerToken(_ request: Request) -> String? {
        guard let value = request.headers[.authorization], value.lowercased().hasPrefix("bearer ") else { return nil }
        let token = value.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// The `{account_id}` of `/client/v4/accounts/{account_id}/…`.
    private static func accountID(in path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count > 4, parts[3] == "accounts" else { return nil }
        return String(parts[4])
    }

    private static func rendering(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let error as CloudflareError {
            return error.response
        } catch let error as any HTTPResponseError {
            return CloudflareError.from(error).response
        } catch {
            return CloudflareError.internalServer.response
        }
    }
}
