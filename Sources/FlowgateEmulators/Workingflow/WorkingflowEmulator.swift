import Foundation
import Hummingbird

/// Workingflow's REST API (its documentation's "REST API" chapter): list definitions, start instances of processes without a
/// start form, poll an instance's status, download its files; Bearer `wf_` keys and the flat
/// `{"error", "code"}` envelope. No rate limits: none are documented [GAP].
///
/// ```swift
/// let emulator = WorkingflowEmulator()
/// try await emulator.makeApplication(port: 9102).runService()
/// // curl -H 'Authorization: Bearer wf_demo_0000000000000000' localhost:9102/processapi/list
/// ```
public final class WorkingflowEmulator: Emulator {
    public let name = "workingflow"
    public let recorder = RequestRecorder()
    public let faults = FaultInjector()
    public let variants: EmulatorVariants

    let credentials: Credentials
    let now: @Sendable () -> Date
    public var clock: @Sendable () -> Date { now }
    let store: WorkingflowStore

    /// - Parameters:
    ///   - credentials: the API keys the deployment accepts.
    ///   - largeFileSize: bytes of the generated survey file on instance `50150`; 100 MiB by default so a
    ///     gateway can prove it streams, smaller for quick tests.
    ///   - now: the clock, injected so tests get fixed timestamps.
    ///   - variants: answer shapes other than the standard ones (``WorkingflowFileItems``).
    public init(
        credentials: Credentials = .demo, largeFileSize: Int = 100 * 1024 * 1024, now: @escaping @Sendable () -> Date = Date.init,
        variants: [any EmulatorVariant] = []
    ) {
        self.variants = EmulatorVariants([WorkingflowFileItems.self], chosen: variants)
        self.credentials = credentials
        self.now = now
        self.store = WorkingflowStore(seededAt: now(), largeFileSize: max(0, largeFileSize))
    }

    public func addRoutes(to router: Router<EmulatorRequestContext>) {
        router.get("/processapi/list") { request, _ in try self.listDefinitions(request) }
        // One parameter name per path position (the router's rule): here `:id` holds the process key.
        router.post("/processapi/:id/start") { request, context in
            try await self.start(request, key: Self.decoded(context.parameters.get("id")))
        }
        router.get("/processapi/:id/status") { request, context in
            try self.status(request, id: Self.decoded(context.parameters.get("id")))
        }
        router.get("/processapi/:id/files/:filename") { request, context in
            try self.download(request, id: Self.decoded(context.parameters.get("id")), name: Self.decoded(context.parameters.get("filename")))
        }
    }

    public func errorResponse(status: Int, code: String) -> Response {
        WorkingflowError.forced(status: status, code: code).render()
    }

    /// The key's display name, or the documented 401 for a missing, unknown or inactive key.
    func authenticate(_ request: Request) throws(WorkingflowError) -> String {
        guard let value = request.headers[.authorization], value.count > 7, value.prefix(7).lowercased() == "bearer " else {
            throw .missingKey
        }
        let key = value.dropFirst(7).trimmingCharacters(in: .whitespaces)
        guard !credentials.inactiveKeys.contains(key), let name = credentials.apiKeys[key] else { throw .invalidKey }
        return name
    }

    /// Path segments arrive percent-encoded (`Q2%20travel%20summary.csv`); stored names are not.
    private static func decoded(_ segment: String?) -> String {
        guard let segment else { return "" }
        return segment.removingPercentEncoding ?? segment
    }
}
