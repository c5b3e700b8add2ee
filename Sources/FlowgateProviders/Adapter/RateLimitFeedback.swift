import FlowgateCore
import Foundation

/// Reads what an upstream answer says about its rate limit: until when the credential should send
/// nothing more through the bucket the call used. Pure, per provider, so the server's limiter can
/// drain a bucket without knowing any upstream's headers or envelopes.
///
/// - a 429: `Retry-After` seconds; else Bitrix24's `error.retryAfter`; else `X-RateLimit-Reset`; else
///   Cloudflare's `Ratelimit: …;t=<seconds>`; else the provider's documented penalty (Cloudflare
///   blocks a token 5 minutes, Geotareas' windows are a minute).
/// - `X-RateLimit-Reset` is documented as Unix seconds (Geotareas) but commonly sent as seconds from
///   now: a value above 10^9 (September 2001 as a time, 31 years as a delay) is a time, anything
///   smaller a delay.
/// - any answer with a remaining budget of 0: `X-RateLimit-Remaining: 0` until `X-RateLimit-Reset`
///   (Geotareas), `Ratelimit: …;r=0;t=<seconds>` (Cloudflare).
public enum RateLimitFeedback {
    public static func blockedUntil(_ reply: UpstreamReply, provider: ProviderKind, now: Date) -> Date? {
        if reply.status == 429 {
            return now.addingTimeInterval(waitAfter429(reply, provider: provider, now: now))
        }
        if reply.header("x-ratelimit-remaining").flatMap(Int.init) == 0, let seconds = resetIn(reply, now: now) {
            return now.addingTimeInterval(seconds)
        }
        if let header = ratelimitHeader(reply), header.remaining == 0, let reset = header.reset {
            return now.addingTimeInterval(reset)
        }
        return nil
    }

    /// The `Retry-After` of the canonical 429 an upstream 429 becomes: the same reading that blocks the
    /// bucket, so what the caller is told and what the gateway enforces agree. Whole seconds, at least 1.
    public static func retryAfterSeconds(_ reply: UpstreamReply, provider: ProviderKind, now: Date = Date()) -> Int {
        max(1, Int(waitAfter429(reply, provider: provider, now: now).rounded(.up)))
    }

    /// Seconds a `Retry-After` header states, if any.
    public static func retryAfterHeader(_ reply: UpstreamReply) -> Int? {
        retryAfter(reply).map { Int($0.rounded(.up)) }
    }

    private static func waitAfter429(_ reply: UpstreamReply, provider: ProviderKind, now: Date) -> TimeInterval {
        retryAfter(reply) ?? bitrixRetryAfter(reply) ?? resetIn(reply, now: now) ?? ratelimitHeader(reply)?.reset ?? defaultPenalty(provider)
    }

    /// What to wait after a 429 that says nothing itself.
    static func defaultPenalty(_ provider: ProviderKind) -> TimeInterval {
        switch provider {
        case .cloudflare: 300
        case .geotareas: 60
        case .bitrix24: 2
        case .workingflow: 1
        }
    }

    static func retryAfter(_ reply: UpstreamReply) -> TimeInterval? {
        reply.header("retry-after").flatMap(seconds)
    }

    /// The longest wait an upstream can impose through a header: a day. Beyond it (or `inf`, `nan`) the
    /// value is nonsense, not an instruction.
    static let maxWait: TimeInterval = 86_400

    /// A header's number of seconds, clamped to 0…``maxWait``; nil when it is not a finite number.
    static func seconds(_ text: String) -> TimeInterval? {
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite else { return nil }
        return min(maxWait, max(0, value))
    }

    static func bitrixRetryAfter(_ reply: UpstreamReply) -> TimeInterval? {
        guard case .object(let root)? = UpstreamJSON.parse(reply.body), case .object(let error)? = root["error"] else { return nil }
        switch error["retryAfter"] {
        case .int(let seconds)?: return TimeInterval(min(Int64(maxWait), max(0, seconds)))
        case .double(let seconds)? where seconds.isFinite: return min(maxWait, max(0, seconds))
        default: return nil
        }
    }

    /// Seconds until `X-RateLimit-Reset`, read as a Unix time above 10^9 and as a delay otherwise.
    static func resetIn(_ reply: UpstreamReply, now: Date) -> TimeInterval? {
        guard let text = reply.header("x-ratelimit-reset"), let reset = Double(text.trimmingCharacters(in: .whitespaces)), reset.isFinite else {
            return nil
        }
        return min(maxWait, max(0, reset > epochThreshold ? reset - now.timeIntervalSince1970 : reset))
    }

    /// Reset values above this are Unix times, at or below it delays in seconds.
    static let epochThreshold: TimeInterval = 1_000_000_000

    /// `Ratelimit: "default";r=<remaining>;t=<seconds to reset>` (Cloudflare, IETF draft style).
    static func ratelimitHeader(_ reply: UpstreamReply) -> (remaining: Int?, reset: TimeInterval?)? {
        guard let header = reply.header("ratelimit") else { return nil }
        var remaining: Int?
        var reset: TimeInterval?
        for part in header.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            if pair[0] == "r" { remaining = Int(pair[1]) }
            if pair[0] == "t" { reset = seconds(pair[1]) }
        }
        return (remaining, reset)
    }
}

// MARK: - Reconciliation

/// What an answer says is left of the upstream's budget for the credential: `remaining` calls before
/// `resetIn` seconds from now (when its window next frees a call). A window bucket that believes more
/// is left trusts the upstream instead: someone else spends the same credential, or the gateway
/// restarted with the upstream's window already partly full.
public struct UpstreamBudget: Sendable, Hashable {
    public var remaining: Int
    public var resetIn: TimeInterval

    public init(remaining: Int, resetIn: TimeInterval) {
        self.remaining = remaining
        self.resetIn = resetIn
    }
}

extension RateLimitFeedback {
    /// The budget an answer reports: `X-RateLimit-Remaining` with `X-RateLimit-Reset` (Geotareas,
    /// Bitrix24), or Cloudflare's `Ratelimit: …;r=<remaining>;t=<seconds>`. Nil when the answer says
    /// nothing usable (no header, or a remaining count without its reset).
    public static func budget(_ reply: UpstreamReply, now: Date) -> UpstreamBudget? {
        if let remaining = reply.header("x-ratelimit-remaining").flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }),
            let reset = resetIn(reply, now: now)
        {
            return UpstreamBudget(remaining: max(0, remaining), resetIn: reset)
        }
        if let header = ratelimitHeader(reply), let remaining = header.remaining, let reset = header.reset {
            return UpstreamBudget(remaining: max(0, remaining), resetIn: max(0, reset))
        }
        return nil
    }
}
