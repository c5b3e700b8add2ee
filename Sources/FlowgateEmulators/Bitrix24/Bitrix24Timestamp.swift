import Foundation

/// Timestamps as the portal writes them: ISO 8601 to the second with the portal's own offset,
/// `2026-04-28T17:23:17+03:00`.
enum Bitrix24Timestamp {
    /// The demo portal lives in Moscow, as the documented examples do (+03:00 all year since 2014).
    static let portalZone: TimeZone = TimeZone(identifier: "Europe/Moscow") ?? TimeZone(secondsFromGMT: 3 * 3600) ?? .gmt

    static func format(_ date: Date, in zone: TimeZone = portalZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offsetMinutes = zone.secondsFromGMT(for: date) / 60
        let sign = offsetMinutes < 0 ? "-" : "+"
        let date = "\(zeroPadded(parts.year ?? 0, 4))-\(zeroPadded(parts.month ?? 0))-\(zeroPadded(parts.day ?? 0))"
        let time = "\(zeroPadded(parts.hour ?? 0)):\(zeroPadded(parts.minute ?? 0)):\(zeroPadded(parts.second ?? 0))"
        return "\(date)T\(time)\(sign)\(zeroPadded(abs(offsetMinutes) / 60)):\(zeroPadded(abs(offsetMinutes) % 60))"
    }
}
