import Foundation
import HTTPTypes
import Synchronization

/// Cloudflare's documented global API limit: 1200 requests per 5 minutes per token. Going over it
/// blocks the token for the next five minutes: every request in that time is refused without being
/// served (or counted). [INF] The 5-minute window slides.
final class CloudflareRateLimiter: Sendable {
    static let limit = 1200
    static let window: TimeInterval = 300
    static let block: TimeInterval = 300

    /// The verdict on one request and the headers reporting it.
    struct Decision: Sendable {
        var allowed: Bool
        var remaining: Int
        /// Seconds until the window frees a request, or until the block ends.
        var reset: Int

        /// `Ratelimit` and `Ratelimit-Policy` on every answer; `retry-after` only when refused.
        var headers: HTTPFields {
            var headers: HTTPFields = [
                .cloudflareRatelimit: "\"default\";r=\(remaining);t=\(reset)",
                .cloudflareRatelimitPolicy: "\"burst\";q=\(CloudflareRateLimiter.limit);w=\(Int(CloudflareRateLimiter.window))",
            ]
            if !allowed { headers[.retryAfter] = String(reset) }
            return headers
        }
    }

    private struct TokenState {
        var hits: [Date] = []
        var blockedUntil: Date?
    }

    private let tokens = Mutex<[String: TokenState]>([:])

    init() {}

    func admit(token: String, now: Date) -> Decision {
        tokens.withLock { tokens in
            var state = tokens[token] ?? TokenState()
            defer { tokens[token] = state }
            if let blockedUntil = state.blockedUntil, blockedUntil > now {
                return Decision(allowed: false, remaining: 0, reset: Self.seconds(from: now, to: blockedUntil))
            }
            state.blockedUntil = nil
            state.hits.removeAll { $0 <= now.addingTimeInterval(-Self.window) }
            guard state.hits.count < Self.limit else {
                let until = now.addingTimeInterval(Self.block)
                state.blockedUntil = until
                state.hits.removeAll()
                return Decision(allowed: false, remaining: 0, reset: Self.seconds(from: now, to: until))
            }
            state.hits.append(now)
            let oldest = state.hits.first ?? now
            return Decision(
                allowed: true, remaining: Self.limit - state.hits.count, reset: Self.seconds(from: now, to: oldest.addingTimeInterval(Self.window))
            )
        }
    }

    private static func seconds(from now: Date, to end: Date) -> Int {
        max(1, Int(end.timeIntervalSince(now).rounded(.up)))
    }
}
