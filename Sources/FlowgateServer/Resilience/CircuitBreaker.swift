import FlowgateCore
import Foundation

/// One connection's circuit breaker as a pure state machine.
///
/// Closed, it counts consecutive failures; at `failureThreshold` it opens. Open, it refuses every call
/// until `cooldown` has passed, then lets exactly one probe through (half-open): the probe's success
/// closes it, its failure opens it again. A probe that never reports (its caller went away) is
/// replaced after `probeTimeout`, so the breaker cannot stick half-open.
struct CircuitBreaker: Sendable, Hashable {
    struct Settings: Sendable, Hashable {
        var failureThreshold: Int = 5
        var cooldown: TimeInterval = 10
        var probeTimeout: TimeInterval = 30
    }

    enum State: Sendable, Hashable {
        case closed(failures: Int)
        case open(until: Date)
        case halfOpen(probeSince: Date)
    }

    enum Permit: Sendable, Hashable {
        /// Go; `isProbe` when this call decides whether the circuit closes.
        case allowed(isProbe: Bool)
        case refused(retryAfter: TimeInterval)
    }

    let settings: Settings
    private(set) var state: State = .closed(failures: 0)

    init(settings: Settings, state: State = .closed(failures: 0)) {
        self.settings = settings
        self.state = state
    }

    var circuit: ConnectionInfo.CircuitState {
        switch state {
        case .closed: .closed
        case .open: .open
        case .halfOpen: .halfOpen
        }
    }

    mutating func acquire(now: Date) -> Permit {
        switch state {
        case .closed:
            return .allowed(isProbe: false)
        case .open(let until):
            guard now >= until else { return .refused(retryAfter: until.timeIntervalSince(now)) }
            state = .halfOpen(probeSince: now)
            return .allowed(isProbe: true)
        case .halfOpen(let since):
            guard now.timeIntervalSince(since) >= settings.probeTimeout else { return .refused(retryAfter: 1) }
            state = .halfOpen(probeSince: now)
            return .allowed(isProbe: true)
        }
    }

    /// The outcome of a call `acquire` allowed. Outcomes of calls let through before the circuit
    /// opened do not reopen it or close it: only the probe decides a half-open circuit.
    mutating func record(success: Bool, isProbe: Bool, now: Date) {
        switch state {
        case .closed(let failures):
            if success {
                state = .closed(failures: 0)
            } else if failures + 1 >= settings.failureThreshold {
                state = .open(until: now.addingTimeInterval(settings.cooldown))
            } else {
                state = .closed(failures: failures + 1)
            }
        case .halfOpen where isProbe:
            state = success ? .closed(failures: 0) : .open(until: now.addingTimeInterval(settings.cooldown))
        case .halfOpen, .open:
            break
        }
    }
}
