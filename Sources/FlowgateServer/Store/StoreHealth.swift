import Foundation

/// Whether this replica talks to the shared store, as a pure state machine.
///
/// While connected every operation goes to PostgreSQL. The first failure marks the store degraded:
/// operations then use the replica's local state at once instead of each waiting for a timeout,
/// except one probe per `probeInterval`, whose success reconnects everything.
struct StoreHealth: Sendable, Hashable {
    enum State: Sendable, Hashable {
        case connected
        case degraded(since: Date, nextProbe: Date)
    }

    /// What a caller should log and count when the state changes.
    enum Transition: Sendable, Hashable {
        case lost
        case recovered(after: TimeInterval)
    }

    let probeInterval: TimeInterval
    private(set) var state: State = .connected

    init(probeInterval: TimeInterval = 1) {
        self.probeInterval = probeInterval
    }

    var isDegraded: Bool { state != .connected }

    /// Whether this operation should try the database; while degraded, only the one probe due.
    mutating func shouldTry(now: Date) -> Bool {
        switch state {
        case .connected:
            return true
        case .degraded(let since, let nextProbe):
            guard now >= nextProbe else { return false }
            state = .degraded(since: since, nextProbe: now.addingTimeInterval(probeInterval))
            return true
        }
    }

    mutating func succeeded(now: Date) -> Transition? {
        guard case .degraded(let since, _) = state else { return nil }
        state = .connected
        return .recovered(after: now.timeIntervalSince(since))
    }

    mutating func failed(now: Date) -> Transition? {
        switch state {
        case .connected:
            state = .degraded(since: now, nextProbe: now.addingTimeInterval(probeInterval))
            return .lost
        case .degraded(let since, _):
            state = .degraded(since: since, nextProbe: now.addingTimeInterval(probeInterval))
            return nil
        }
    }
}
