/// How an emulator writes `X-RateLimit-Reset`. Geotareas documents it as a Unix time in seconds;
/// many APIs send the seconds left instead, and a third-party note on Bitrix24's facade does not say.
public enum RateLimitResetStyle: String, EmulatorVariant {
    /// A Unix time in seconds (the standard answer; documented for Geotareas).
    case epoch
    /// Seconds from now.
    case delta

    public static let key = "reset"
    public static let standard = RateLimitResetStyle.epoch

    /// The header value for a window that frees up at `resetAt`.
    func value(resetAt: Double, now: Double) -> String {
        switch self {
        case .epoch: String(Int(resetAt.rounded(.up)))
        case .delta: String(max(0, Int((resetAt - now).rounded(.up))))
        }
    }
}
