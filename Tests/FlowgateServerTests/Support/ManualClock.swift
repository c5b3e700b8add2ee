import FlowgateCore
import Foundation
import Synchronization

/// A clock that moves only when a test says so: `advance(by:)` wakes every sleeper whose time has
/// come, in deadline order. Both readings (monotonic and wall) move together.
final class ManualClock: GatewayClock {
    private struct Sleeper {
        var id: Int
        var until: ContinuousClock.Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var offset: Duration = .zero
        var sleepers: [Sleeper] = []
        var nextID = 0
    }

    private let origin = ContinuousClock.now
    private let dateOrigin: Date
    private let state = Mutex(State())

    init(date: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        self.dateOrigin = date
    }

    var now: ContinuousClock.Instant { origin + state.withLock { $0.offset } }
    var date: Date { dateOrigin.addingTimeInterval(Self.seconds(state.withLock { $0.offset })) }
    /// Tasks currently asleep on this clock.
    var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    func sleep(until instant: ContinuousClock.Instant) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: Bool = state.withLock { state in
                    if Task.isCancelled || origin + state.offset >= instant { return true }
                    state.sleepers.append(Sleeper(id: id, until: instant, continuation: continuation))
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
        try Task.checkCancellation()
    }

    /// Moves time forward and wakes the sleepers now due.
    func advance(by duration: Duration) {
        let due = state.withLock { state -> [Sleeper] in
            state.offset += duration
            let now = origin + state.offset
            let due = state.sleepers.filter { $0.until <= now }.sorted { $0.until < $1.until }
            state.sleepers.removeAll { $0.until <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Waits (in real time, bounded) until `count` tasks sleep on this clock.
    func waitForSleepers(_ count: Int = 1, timeout: Duration = .seconds(5)) async throws {
        let limit = ContinuousClock.now + timeout
        while sleeperCount < count {
            guard ContinuousClock.now < limit else { throw WaitTimedOut(expected: count, found: sleeperCount) }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        TimeInterval(duration.components.seconds) + TimeInterval(duration.components.attoseconds) / 1e18
    }

    struct WaitTimedOut: Error {
        var expected: Int
        var found: Int
    }
}
