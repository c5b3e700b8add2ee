import Foundation

/// Where the gateway reads the time wherever time decides behaviour: deadlines, limiter waits, retry
/// backoff. Injected, so tests move time forward instead of sleeping through it.
///
/// Two readings of one clock: a monotonic instant for deadlines and waits (immune to wall-clock steps),
/// and the wall-clock date that upstream headers (`X-RateLimit-Reset`) and stored state speak in. A
/// test clock advances both together.
public protocol GatewayClock: Sendable {
    /// Monotonic now, for deadlines, waits and durations.
    var now: ContinuousClock.Instant { get }
    /// Wall-clock now.
    var date: Date { get }
    /// Suspends until `instant` on this clock; throws `CancellationError` if the task is cancelled first.
    func sleep(until instant: ContinuousClock.Instant) async throws
}

extension GatewayClock {
    /// Suspends for `duration` on this clock.
    public func sleep(for duration: Duration) async throws {
        try await sleep(until: now + duration)
    }
}

/// The real time: `ContinuousClock` and `Date()`.
public struct SystemClock: GatewayClock {
    public init() {}

    public var now: ContinuousClock.Instant { .now }
    public var date: Date { Date() }

    public func sleep(until instant: ContinuousClock.Instant) async throws {
        try await Task.sleep(until: instant, clock: .continuous)
    }
}
