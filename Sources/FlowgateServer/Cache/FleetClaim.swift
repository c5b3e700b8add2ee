import Foundation
import Synchronization

/// A fleet fill's claim on its cache key (cluster mode), made by the fill's first upstream read in the
/// same database round trip as that read's bucket reservation and the connection's breaker read — so
/// a miss costs one round trip before its upstream call, not one for the claim and one for the bucket.
/// A fill that makes no upstream call never claims (nothing is gained by coalescing it).
///
/// The fill runs with the claim bound to ``current``. Reads after the first find it made: if another
/// replica holds the key (or has just stored its answer), they throw ``Yielded`` instead of calling,
/// and ``FleetFill`` waits for that replica's answer. Several reads racing to be first (a fan-out's
/// branches) wait for the first one's outcome.
final class FleetClaim: Sendable {
    enum Outcome: Sendable, Hashable {
        /// This replica fills; its lease is released with the answer's shared copy. `clock` is the
        /// shared invalidation clock as the claim was made: the generation the answer is stored under.
        case claimed(FleetLease, clock: Int64)
        /// Another replica holds the key's lease.
        case heldElsewhere
        /// Another replica stored a fresh answer since this one looked (only for fills that may use one).
        case stored
        /// The shared store cannot be reached: this replica fills on its own.
        case unavailable
    }

    /// Thrown by an upstream read that must not go because another replica fills the key.
    struct Yielded: Error {}

    @TaskLocal static var current: FleetClaim?

    let lease: FleetLease
    /// How long the lease holds: the longest a fill may take.
    let holdFor: TimeInterval
    /// Whether a fresh answer another replica stored meanwhile would do (not for `no-cache`).
    let acceptsStored: Bool

    private enum State {
        case open
        case making(waiters: [CheckedContinuation<Void, Never>])
        case made(Outcome)
    }

    private let state = Mutex(State.open)

    init(lease: FleetLease, holdFor: TimeInterval, acceptsStored: Bool) {
        self.lease = lease
        self.holdFor = holdFor
        self.acceptsStored = acceptsStored
    }

    /// The outcome, once the claim was made; nil before.
    var outcome: Outcome? {
        state.withLock { state in
            if case .made(let outcome) = state { return outcome }
            return nil
        }
    }

    /// Whether the caller must make the claim now (it is the fill's first upstream read). Otherwise the
    /// claim is made, or being made by another read whose outcome this waits for.
    func mustMake() async -> Bool {
        enum Step { case make, wait, done }
        let step: Step = state.withLock { state in
            switch state {
            case .open:
                state = .making(waiters: [])
                return .make
            case .making: return .wait
            case .made: return .done
            }
        }
        switch step {
        case .make: return true
        case .done: return false
        case .wait:
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    guard case .making(var waiters) = state else { return true }
                    waiters.append(continuation)
                    state = .making(waiters: waiters)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
            return false
        }
    }

    /// Records the outcome of making the claim and wakes the reads that waited for it. The maker must
    /// call it on every path (the store bounds its call in time).
    func resolve(_ outcome: Outcome) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard case .making(let waiters) = state else { return [] }
            state = .made(outcome)
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Throws ``Yielded`` when the claim was made and another replica fills the key.
    func checkNotYielded() throws {
        switch outcome {
        case .heldElsewhere?, .stored?: throw Yielded()
        default: return
        }
    }
}

/// A fill lease on one key: the key's row in the shared store and this fill's owner token.
struct FleetLease: Sendable, Hashable {
    var key: String
    var owner: String
}

extension FleetClaim {
    /// A claim as the shared store answers it: `{1 claimed | 0 held elsewhere | 2 stored, the clock}`.
    static func outcome(_ answer: [Double], lease: FleetLease) -> Outcome {
        guard answer.count >= 2 else { return .unavailable }
        switch answer[0] {
        case 1: return .claimed(lease, clock: Int64(answer[1]))
        case 2: return .stored
        default: return .heldElsewhere
        }
    }
}
