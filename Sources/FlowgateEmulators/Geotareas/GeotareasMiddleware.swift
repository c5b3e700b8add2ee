import Foundation
import HTTPTypes
import Hummingbird

/// Everything every answer under `/apidev/` shares: the sliding-window limit of its endpoint class
/// (reads 30/min, writes 10/min) with `X-RateLimit-*` headers, `X-Request-Id`, and errors rendered in the
/// Geotareas envelope, including the router's own 404.
///
/// [GAP] The docs do not say what a window is keyed on. The emulator keys it on the `X-API-Key` value
/// plus the endpoint class (all reads share one window, all writes another): the strictest reading of
/// "per endpoint", so a gateway that budgets per class stays inside it. It counts a request before
/// authenticating it, so even a 400 or 401 carries accurate headers.
struct GeotareasMiddleware: RouterMiddleware {
    typealias Context = EmulatorRequestContext
    static let prefix = "/apidev/"
    static let loginPath = "/apidev/v1/login"

    let limiter: GeotareasRateLimiter
    let now: @Sendable () -> Date
    /// `reset` (``RateLimitResetStyle``): the documented Unix time, or seconds from now.
    let variants: EmulatorVariants

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix(Self.prefix) else { return try await next(request, context) }
        var response: Response
        if request.uri.path == Self.loginPath {
            // The login route keys its own window on the account in the body.
            response = await Self.rendering { try await next(request, context) }
        } else {
            let isWrite = request.method == .post || request.method == .put || request.method == .patch || request.method == .delete
            let key = "\(request.headers[.geotareasAPIKey] ?? "")|\(isWrite ? "write" : "read")"
            let decision = limiter.admit(key, policy: isWrite ? .write : .read, now: now())
            if decision.allowed {
                response = await Self.rendering { try await next(request, context) }
            } else {
                response = GeotareasError.rateLimited("Rate limit exceeded. Try again later.", headers: [:]).response
            }
            for field in decision.headers where response.headers[field.name] == nil { response.headers.append(field) }
        }
        response.headers[.geotareasRequestID] = UUID().uuidString.lowercased()
        // Every route writes the documented Unix time; the `delta` variant rewrites it as seconds left.
        let style = variants(RateLimitResetStyle.self)
        if style != .epoch, let reset = response.headers[.geotareasRateReset].flatMap(Double.init) {
            response.headers[.geotareasRateReset] = style.value(resetAt: reset, now: now().timeIntervalSince1970)
        }
        return response
    }

    private static func rendering(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let error as GeotareasError {
            return error.response
        } catch let error as any HTTPResponseError {
            return GeotareasError.from(error).response
        } catch {
            return GeotareasError.internalError.response
        }
    }
}
