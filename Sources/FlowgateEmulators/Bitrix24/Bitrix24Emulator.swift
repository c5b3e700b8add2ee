import Foundation
import Hummingbird

/// The Bitrix24 "vibecode" REST facade (https://vibecode.bitrix24.com/docs): running-workflow list, start, terminate and the
/// bizproc template list, with its key types, user sessions, scopes, rate limits and `{success, …}` envelope.
///
/// ```swift
/// let emulator = Bitrix24Emulator()
/// try await emulator.makeApplication(port: 9101).runService()
/// // curl -H 'X-Api-Key: vibe_api_demo_0000000000000000' localhost:9101/v1/workflows
/// ```
public final class Bitrix24Emulator: Emulator {
    public let name = "bitrix24"
    public let recorder = RequestRecorder()
    public let faults = FaultInjector()
    public let variants: EmulatorVariants

    let credentials: Credentials
    let now: @Sendable () -> Date
    public var clock: @Sendable () -> Date { now }
    /// Every demo session was issued when the emulator started, so it expires `sessionLifetime` later.
    let sessionsIssuedAt: Date
    let store: Bitrix24Store
    let limiter: Bitrix24RateLimiter

    /// - Parameters:
    ///   - credentials: the keys and sessions the platform accepts.
    ///   - rateLimits: the platform and portal limits; tests lower them, benchmarks raise them.
    ///   - now: the clock, injected so tests can cross rate-limit windows and session expiry without sleeping.
    ///   - variants: answer shapes other than the standard ones (``Bitrix24TemplateKeys``,
    ///     ``Bitrix24DocumentTypeShape``, ``Bitrix24TemplatesRoute``, ``RateLimitResetStyle``).
    public init(
        credentials: Credentials = .demo, rateLimits: RateLimits = .documented, now: @escaping @Sendable () -> Date = Date.init,
        variants: [any EmulatorVariant] = []
    ) {
        self.variants = EmulatorVariants(
            [Bitrix24TemplateKeys.self, Bitrix24DocumentTypeShape.self, Bitrix24TemplatesRoute.self, RateLimitResetStyle.self], chosen: variants
        )
        self.credentials = credentials
        self.now = now
        let startedAt = now()
        self.sessionsIssuedAt = startedAt
        self.store = Bitrix24Store(seededAt: startedAt)
        self.limiter = Bitrix24RateLimiter(limits: rateLimits)
    }

    public func addRoutes(to router: Router<EmulatorRequestContext>) {
        router.get("/v1/workflows") { request, _ in try await self.listWorkflows(request) }
        router.post("/v1/workflows/start") { request, _ in try await self.startWorkflow(request) }
        router.delete("/v1/workflows/:id") { request, context in
            try await self.terminateWorkflow(request, id: context.parameters.get("id") ?? "")
        }
        // [GAP] the start page names /v1/entities/bizproc-templates, third-party notes observed
        // /v1/bizproc-templates (with the OAUTH_REQUIRED rule); both answer the same unless the
        // `templates_path` switch keeps only one.
        router.get("/v1/bizproc-templates") { request, _ in try await self.listTemplates(request, documentedPath: false) }
        router.get("/v1/entities/bizproc-templates") { request, _ in try await self.listTemplates(request, documentedPath: true) }
    }

    public func errorResponse(status: Int, code: String) -> Response {
        Bitrix24Error.forced(status: status, code: code).render()
    }
}
