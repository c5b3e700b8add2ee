/// One upstream limit as a route table declares it: its shape, and what the upstream counts it per.
///
/// Upstreams state their limits in two ways, and the gateway keeps each in its own terms:
/// - a **window**: at most `limit` calls in any `seconds` (Geotareas' 30 reads per minute, Cloudflare's
///   1200 per 5 minutes); the gateway admits a call while fewer than `limit` went out in the trailing
///   window, so the whole budget is usable and no window is ever exceeded;
/// - a **rate**: `ratePerSecond` sustained, `burst` at once (an upstream that documents none, where the
///   gateway sets a polite pace itself).
public struct BucketSpec: Sendable, Hashable {
    public enum Shape: Sendable, Hashable {
        case rate(perSecond: Double, burst: Int)
        case window(limit: Int, seconds: Double)
    }

    /// Whose budget the bucket is: what the upstream counts calls per.
    public enum Scope: String, Sendable, Hashable, CaseIterable {
        /// The connection's credential (its key, token or account): connections sharing a credential
        /// share the bucket, and nobody else does.
        case credential
        /// The upstream installation the credential belongs to (Bitrix24's portal): every connection on
        /// that portal shares the bucket, whatever its key.
        case portal
    }

    public var shape: Shape
    public var keyedBy: Scope

    public init(_ shape: Shape, keyedBy: Scope = .credential) {
        self.shape = shape
        self.keyedBy = keyedBy
    }

    /// What is wrong with a shape, in words for a start-up or config error; nil when it is usable.
    public static func problem(_ shape: Shape) -> String? {
        switch shape {
        case .rate(let perSecond, let burst):
            guard perSecond > 0, perSecond <= 100_000, (1...1_000_000).contains(burst) else {
                return "rate_per_s must be in 0.0001…100000 and burst in 1…1000000"
            }
        case .window(let limit, let seconds):
            guard (1...maxWindowLimit).contains(limit), seconds >= 0.001, seconds <= 86_400 else {
                return "window.limit must be in 1…\(maxWindowLimit) and window.seconds in 0.001…86400"
            }
        }
        return nil
    }

    /// The most calls one window may hold: the gateway keeps each call's instant for a window's length.
    public static let maxWindowLimit = 10_000
}
