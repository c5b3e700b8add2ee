import Foundation
import Synchronization

extension Bitrix24Emulator {
    /// The two limits third-party notes on the facade report [3P], each a sliding window.
    public struct RateLimits: Sendable {
        /// Platform limit per key over 60 s; over it answers 429 `RATE_LIMITED`.
        public var requestsPerMinute: Int
        /// Portal limit shared by every key over 1 s, counted only on calls that reach Bitrix; over it
        /// answers 502 `BITRIX_UNAVAILABLE` (the portal, not the platform, refuses).
        public var portalRequestsPerSecond: Int

        public init(requestsPerMinute: Int = 300, portalRequestsPerSecond: Int = 10) {
            self.requestsPerMinute = requestsPerMinute
            self.portalRequestsPerSecond = portalRequestsPerSecond
        }

        /// 300 requests/minute per key and about 10 requests/second per portal.
        public static let documented = RateLimits()
    }
}

/// A sliding-window log: at most `limit` admissions in any `window` seconds.
struct Bitrix24SlidingWindow: Sendable {
    /// The verdict on one request: admitted with what is left, or refused until a slot frees up.
    enum Admission: Equatable {
        case admitted(remaining: Int, resetAt: Date)
        case refused(retryAfter: TimeInterval)
    }

    let limit: Int
    let window: TimeInterval
    private var admitted: [Date] = []

    init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    mutating func admit(at now: Date) -> Admission {
        admitted.removeAll { $0 <= now - window }
        guard admitted.count < limit else {
            return .refused(retryAfter: ((admitted.first ?? now) + window).timeIntervalSince(now))
        }
        admitted.append(now)
        return .admitted(remaining: limit - admitted.count, resetAt: (admitted.first ?? now) + window)
    }
}

/// Both limits, behind one lock. A refused request does not count against the window.
final class Bitrix24RateLimiter: Sendable {
    /// Everything the lock guards: one window per key and the portal's shared one.
    private struct State {
        var perKey: [String: Bitrix24SlidingWindow] = [:]
        var portal: Bitrix24SlidingWindow
    }

    let limits: Bitrix24Emulator.RateLimits
    private let state: Mutex<State>

    init(limits: Bitrix24Emulator.RateLimits) {
        self.limits = limits
        state = Mutex(State(portal: Bitrix24SlidingWindow(limit: limits.portalRequestsPerSecond, window: 1)))
    }

    func admitPlatform(key: String, at now: Date) -> Bitrix24SlidingWindow.Admission {
        state.withLock { state in
            var log = state.perKey[key] ?? Bitrix24SlidingWindow(limit: limits.requestsPerMinute, window: 60)
            let admission = log.admit(at: now)
            state.perKey[key] = log
            return admission
        }
    }

    func admitPortal(at now: Date) -> Bool {
        state.withLock { state in
            if case .admitted = state.portal.admit(at: now) { return true }
            return false
        }
    }
}
