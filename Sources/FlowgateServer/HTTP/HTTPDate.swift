import FlowgateCore
import Foundation
import Synchronization

/// The `Date` header's value (RFC 9110 §5.6.7, `Sun, 06 Nov 1994 08:49:37 GMT`), formatted once per
/// second and shared: Hummingbird adds it to the answers of the router, and the hit path below the
/// router (``CacheHitHandler``) adds the same.
final class HTTPDate: Sendable {
    private let cached = Mutex<(second: Int, text: String)>((Int.min, ""))

    /// The value for `date`, to the second.
    func value(for date: Date) -> String {
        let second = Int(date.timeIntervalSince1970.rounded(.down))
        if let text = cached.withLock({ $0.second == second ? $0.text : nil }) { return text }
        let text = Self.format(second)
        cached.withLock { $0 = (second, text) }
        return text
    }

    /// Seconds since 1970 in the IMF-fixdate form, computed rather than through a calendar
    /// (``CivilTime/date(days:)``, the proleptic Gregorian civil date of the day number).
    static func format(_ seconds: Int) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let weekday = ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday (index 4 from Sunday)
        let (year, month, day) = CivilTime.date(days: Int64(days))
        return "\(weekdays[weekday]), \(twoDigits(day)) \(months[month - 1]) \(year) "
            + "\(twoDigits(secondOfDay / 3600)):\(twoDigits(secondOfDay % 3600 / 60)):\(twoDigits(secondOfDay % 60)) GMT"
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}
