import Foundation
import Synchronization

/// The documented login limits: 5 requests per 30 s per account (sliding), and 5 failed
/// attempts within 30 s lock the account for 60 s, during which even the right password gets 429.
final class GeotareasLoginGuard: Sendable {
    static let maxFailures = 5
    static let failureWindow: TimeInterval = 30
    static let lockout: TimeInterval = 60

    private struct Account {
        var failures: [Date] = []
        var lockedUntil: Date?
    }

    private let accounts = Mutex<[String: Account]>([:])
    private let limiter = GeotareasRateLimiter()

    init() {}

    /// Whether a login for `account` may be checked now; counts it against the window if so.
    func admit(account: String, now: Date) -> GeotareasRateDecision {
        let lockedUntil = accounts.withLock { $0[account]?.lockedUntil }
        if let lockedUntil, lockedUntil > now {
            let wait = max(1, Int(lockedUntil.timeIntervalSince(now).rounded(.up)))
            return GeotareasRateDecision(limit: GeotareasRatePolicy.login.limit, remaining: 0, resetAt: lockedUntil, retryAfter: wait)
        }
        return limiter.admit(account, policy: .login, now: now)
    }

    /// Records a wrong password; the fifth within the window locks the account.
    func recordFailure(account: String, now: Date) {
        accounts.withLock { accounts in
            var state = accounts[account] ?? Account()
            state.failures = state.failures.filter { $0 > now.addingTimeInterval(-Self.failureWindow) } + [now]
            if state.failures.count >= Self.maxFailures {
                state.lockedUntil = now.addingTimeInterval(Self.lockout)
                state.failures.removeAll()
            }
            accounts[account] = state
        }
    }

    /// [INF] A successful login clears the failure count, as most lockout schemes do.
    func recordSuccess(account: String) {
        accounts.withLock { $0[account]?.failures.removeAll() }
    }
}
