import Foundation
import HTTPTypes
import Hummingbird

/// Cloudflare Workflows as its API reference documents them
/// (https://developers.cloudflare.com/api/resources/workflows/), under
/// `/client/v4/accounts/{account_id}/workflows`: workflows, instances (list with page or cursor paging,
/// create, batch, get with the step log), status changes and events, behind an API token with the global
/// 1200-requests-per-5-minutes limit and its five-minute block.
///
/// ```swift
/// let emulator = CloudflareEmulator(now: { clock.now })
/// try await emulator.makeApplication(port: 9104).runService()   // base_url http://127.0.0.1:9104/client/v4
/// ```
public final class CloudflareEmulator: Emulator {
    /// The one API token and account the emulator accepts.
    public struct Credentials: Sendable, Equatable {
        /// Sent as `Authorization: Bearer <token>`.
        public var token: String
        public var accountID: String

        public init(token: String, accountID: String) {
            self.token = token
            self.accountID = accountID
        }

        /// The values `Config/demo.yaml` uses.
        public static let demo = Credentials(token: "cf_demo_token_0000000000000000", accountID: "demo0account")
    }

    public let name = "cloudflare"
    public let recorder = RequestRecorder()
    public let faults = FaultInjector()
    public let variants: EmulatorVariants

    let credentials: Credentials
    let now: @Sendable () -> Date
    public var clock: @Sendable () -> Date { now }
    let store: CloudflareStore
    let limiter = CloudflareRateLimiter()
    /// False only for load benchmarks (`flowgate emulate --cloudflare-unlimited`): the token's 1200
    /// requests per 5 minutes would otherwise be what a throughput run measures.
    let enforcesRateLimit: Bool

    /// `variants`: answer shapes other than the standard ones (``CloudflareListing``).
    public init(
        credentials: Credentials = .demo, now: @escaping @Sendable () -> Date = Date.init, enforcesRateLimit: Bool = true,
        variants: [any EmulatorVariant] = []
    ) {
        self.variants = EmulatorVariants([CloudflareListing.self], chosen: variants)
        self.credentials = credentials
        self.now = now
        self.store = CloudflareStore(seed: CloudflareSeed.make())
        self.enforcesRateLimit = enforcesRateLimit
    }

    public func addRoutes(to router: Router<EmulatorRequestContext>) {
        // Router-level, so it also wraps the router's own 404: every answer is in the v4 envelope.
        router.add(middleware: CloudflareMiddleware(credentials: credentials, limiter: enforcesRateLimit ? limiter : nil, now: now))
        addWorkflowRoutes(to: router)
        addInstanceRoutes(to: router)
        addInstanceChangeRoutes(to: router)
    }

    public func errorResponse(status: Int, code: String) -> Response {
        CloudflareError.forced(status: status, code: code).response
    }
}
