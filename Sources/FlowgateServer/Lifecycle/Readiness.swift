import ServiceLifecycle
import Synchronization

/// Readiness for `/readyz`: ready until graceful shutdown starts, then draining, so a load balancer
/// stops sending new requests while in-flight ones finish.
public final class Readiness: Sendable {
    private let draining = Atomic<Bool>(false)

    public init() {}

    public var isDraining: Bool { draining.load(ordering: .relaxed) }

    func markDraining() { draining.store(true, ordering: .relaxed) }
}

/// Flips ``Readiness`` the moment shutdown begins, then holds the shutdown for `delay` while the server
/// still serves. It must come after the application in the service group: services stop in reverse
/// order, so it hears of the shutdown before the server starts draining.
struct ReadinessService: Service {
    let readiness: Readiness
    let delay: Duration

    func run() async throws {
        try? await gracefulShutdown()
        readiness.markDraining()
        if delay > .zero { try? await Task.sleep(for: delay) }
    }
}
