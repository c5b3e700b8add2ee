import Foundation
import HTTPTypes
import Synchronization

/// One sliding window: at most `limit` requests in any `window` seconds.
struct GeotareasRatePolicy: Sendable {
    var limit: Int
    var window: TimeInterval

    static let read = Self(limit: 30, window: 60)
    static let write = Self(limit: 10, window: 60)
    static let login = Self(limit: 5, window: 30)
}

/// What a limiter decided about one request, and the headers that report it on every answer.
struct GeotareasRateDecision: Sendable {
    var limit: Int
    var remaining: Int
    /// When the oldest counted request leaves the window (`X-RateLimit-Reset`, Unix seconds).
    var resetAt: Date
    /// Seconds to wait; set only when the request was refused.
    var retryAfter: Int?

    var allowed: Bool { retryAfter == nil }

    var headers: HTTPFields {
        var headers: HTTPFields = [
            .geotareasRateLimit: String(limit),
            .geotareasRateRemaining: String(remaining),
            .geotareasRateReset: String(Int(resetAt.timeIntervalSince1970.rounded(.up))),
        ]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return headers
    }

    /// The headers for an answer no window counted (a login without an account to key it on).
    static func untouched(_ policy: GeotareasRatePolicy, now: Date) -> Self {
        .init(limit: policy.limit, remaining: policy.limit, resetAt: now.addingTimeInterval(policy.window))
    }
}

/// Sliding-window logs keyed by caller and endpoint class. A refused request is not counted, so a
/// caller that backs off for `Retry-After` seconds is served again.
final class GeotareasRateLimiter: Sendable {
    private let windows = Mutex<[String: [Date]]>([:])

    init() {}

    func admit(_ key: String, policy: GeotareasRatePolicy, now: Date) -> GeotareasRateDecision {
        windows.withLock { windows in
            var hits = (windows[key] ?? []).filter { $0 > now.addingTimeInterval(-policy.window) }
            defer { windows[key] = hits }
            if hits.count >= policy.limit, let oldest = hits.first {
                let resetAt = oldest.addingTimeInterval(policy.window)
                let wait = max(1, Int(resetAt.timeIntervalSince(now).rounded(.up)))
                return GeotareasRateDecision(limit: policy.limit, remaining: 0, resetAt: resetAt, retryAfter: wait)
            }
            hits.append(now)
            let oldest = hits.first ?? now
            return GeotareasRateDecision(
                limit: policy.limit, remaining: policy.limit - hits.count, resetAt: oldest.addingTimeInterval(policy.window)
            )
        }
    }
}
