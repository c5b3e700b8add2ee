import Synchronization

/// Coalesces concurrent work on one key: the first caller starts it, every caller that arrives while
/// it runs awaits the same result. The work runs in its own task, so it finishes — and fills the
/// cache — even when the caller who started it goes away.
final class SingleFlight<Value: Sendable>: Sendable {
    private let flights = Mutex<[String: Task<Value, Never>]>([:])

    /// The running or newly started work for `key`, and whether the caller joined one already running.
    func run(_ key: String, _ work: @escaping @Sendable () async -> Value) -> (task: Task<Value, Never>, joined: Bool) {
        flights.withLock { flights in
            if let running = flights[key] { return (running, true) }
            let task = Task {
                let value = await work()
                self.finish(key)
                return value
            }
            flights[key] = task
            return (task, false)
        }
    }

    var count: Int { flights.withLock { $0.count } }

    private func finish(_ key: String) {
        _ = flights.withLock { $0.removeValue(forKey: key) }
    }
}
