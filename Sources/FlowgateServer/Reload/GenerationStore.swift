import Synchronization

/// The current ``GatewayGeneration``: read once per request (a lock held for one pointer copy),
/// replaced whole by a reload.
final class GenerationStore: Sendable {
    private let current: Mutex<GatewayGeneration>

    init(_ first: GatewayGeneration) {
        self.current = Mutex(first)
    }

    var generation: GatewayGeneration { current.withLock { $0 } }

    /// Swaps in `next`; returns the generation it replaced.
    @discardableResult
    func replace(with next: GatewayGeneration) -> GatewayGeneration {
        current.withLock { current in
            let previous = current
            current = next
            return previous
        }
    }
}
