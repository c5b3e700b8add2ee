import Foundation
import HTTPTypes
import Hummingbird

/// Geotareas as documented at https://apidoc.geotareas.com/docs: `POST /apidev/v1/login` for a one-hour
/// JWT, then workflow definitions, instances (list, detail, timeline, captured data, start, cancel) and tasks,
/// each call needing `Authorization: Bearer <jwt>`, `X-API-Key` and `tenant`, with sliding-window limits
/// reported in `X-RateLimit-*` headers on every answer.
///
/// ```swift
/// let emulator = GeotareasEmulator(now: { clock.now })
/// try await emulator.makeApplication(port: 9103).runService()
/// ```
public final class GeotareasEmulator: Emulator {
    /// The permissions Geotareas grants per user.
    public enum Permission: String, Sendable, CaseIterable {
        case read = "APICLI_WORKFLOW_READ"
        case execute = "APICLI_WORKFLOW_EXECUTE"
    }

    /// The one tenant, integration key and service user the emulator accepts.
    public struct Credentials: Sendable, Equatable {
        /// The company integration key, sent as `X-API-Key`.
        public var apiKey: String
        public var email: String
        public var password: String
        /// The company hostname, sent as the `tenant` header.
        public var tenant: String
        /// What the user may do; a read-only user lets tests see `FORBIDDEN`.
        public var permissions: Set<Permission>

        public init(apiKey: String, email: String, password: String, tenant: String, permissions: Set<Permission> = [.read, .execute]) {
            self.apiKey = apiKey
            self.email = email
            self.password = password
            self.tenant = tenant
            self.permissions = permissions
        }

        /// The values `Config/demo.yaml` uses.
        public static let demo = Credentials(
            apiKey: "geo_demo_key", email: "demo@flowgate.local", password: "demo-password", tenant: "demo.geotareas.com"
        )
    }

    public let name = "geotareas"
    public let recorder = RequestRecorder()
    public let faults = FaultInjector()
    public let variants: EmulatorVariants

    let credentials: Credentials
    let now: @Sendable () -> Date
    public var clock: @Sendable () -> Date { now }
    let store: GeotareasStore
    let tokens = GeotareasTokenIssuer()
    let limiter = GeotareasRateLimiter()
    let loginGuard = GeotareasLoginGuard()

    /// `variants`: answer shapes other than the standard ones (``RateLimitResetStyle``).
    public init(credentials: Credentials = .demo, now: @escaping @Sendable () -> Date = Date.init, variants: [any EmulatorVariant] = []) {
        self.variants = EmulatorVariants([RateLimitResetStyle.self], chosen: variants)
        self.credentials = credentials
        self.now = now
        self.store = GeotareasStore(seed: GeotareasSeed.make())
    }

    public func addRoutes(to router: Router<EmulatorRequestContext>) {
        // Router-level, so it also wraps the router's own 404 and every answer gets the envelope and headers.
        router.add(middleware: GeotareasMiddleware(limiter: limiter, now: now, variants: variants))
        addLoginRoute(to: router)
        addInstanceRoutes(to: router)
        addCatalogRoutes(to: router)
    }

    public func errorResponse(status: Int, code: String) -> Response {
        GeotareasError(status: HTTPResponse.Status(code: status), code: code, message: GeotareasError.defaultMessage(for: code)).response
    }

    var authenticator: GeotareasAuthenticator {
        GeotareasAuthenticator(credentials: credentials, tokens: tokens, now: now)
    }
}
