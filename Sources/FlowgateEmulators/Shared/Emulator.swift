import Foundation
import Hummingbird
import Logging

/// A fake upstream that behaves like the real one as documented (docs/emulators.md): same paths, auth
/// checks, envelopes, status codes, paging and limits, with state that starts and cancels change.
public protocol Emulator: Sendable {
    /// The provider it imitates: `bitrix24`, `workingflow`, `geotareas`, `cloudflare`.
    var name: String { get }
    /// What it received, for tests to assert what the gateway sent.
    var recorder: RequestRecorder { get }
    /// Misbehaviour switched on at runtime.
    var faults: FaultInjector { get }
    /// The answer shapes it can switch between where the upstream's documentation leaves them open.
    var variants: EmulatorVariants { get }
    /// Registers the upstream's own routes.
    func addRoutes(to router: Router<EmulatorRequestContext>)
    /// A forced error in the upstream's own error envelope.
    func errorResponse(status: Int, code: String) -> Response
    /// The emulator's clock: what its limits, tokens and recorded arrival times read.
    var clock: @Sendable () -> Date { get }
}

extension Emulator {
    /// The real time, for an emulator that takes no clock.
    public var clock: @Sendable () -> Date { { Date() } }

    /// The emulator as a Hummingbird application: recording, faults, control routes, then its routes.
    /// `onServerRunning` gets the bound port, which differs from `port` when that is 0.
    public func makeApplication(
        host: String = "127.0.0.1", port: Int, logger: Logger? = nil, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router(context: EmulatorRequestContext.self)
        router.add(middleware: RecordingMiddleware(recorder: recorder, now: clock))
        router.add(middleware: FaultMiddleware(faults: faults, renderError: { status, code in errorResponse(status: status, code: code) }))
        EmulatorControl(recorder: recorder, faults: faults, variants: variants).addRoutes(to: router)
        addRoutes(to: router)
        let logger = logger ?? Logger(label: "emulator.\(name)")
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "\(name)-emulator"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }
}
