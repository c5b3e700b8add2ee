import Synchronization

/// The faults an emulator currently shows. Each request takes the faults that match its path; faults
/// with a count are used up one request at a time.
public final class FaultInjector: Sendable {
    private let faults = Mutex<[Fault]>([])

    public init() {}

    public func add(_ fault: Fault) { faults.withLock { $0.append(fault) } }

    public func clear() { faults.withLock { $0.removeAll() } }

    public var active: [Fault] { faults.withLock { $0 } }

    /// The kinds to apply to a request for `path`, consuming one use of each counted fault.
    func take(for path: String) -> [Fault.Kind] {
        faults.withLock { faults in
            var taken: [Fault.Kind] = []
            for index in faults.indices {
                if let prefix = faults[index].pathPrefix, !path.hasPrefix(prefix) { continue }
                if let remaining = faults[index].remaining {
                    guard remaining > 0 else { continue }
                    faults[index].remaining = remaining - 1
                }
                taken.append(faults[index].kind)
            }
            faults.removeAll { $0.remaining == 0 }
            return taken
        }
    }
}
