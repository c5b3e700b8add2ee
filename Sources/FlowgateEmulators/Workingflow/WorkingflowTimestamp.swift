import Foundation

/// Timestamps as Jackson writes a `java.util.Date` by default: UTC, milliseconds, and an explicit
/// `+00:00` rather than `Z`, e.g. `2026-05-01T09:15:22.000+00:00`.
enum WorkingflowTimestamp {
    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar
    }()

    static func format(_ date: Date) -> String {
        // Whole milliseconds first, so 09:15:22.9996 cannot print as second 22 with 1000 ms.
        let millis = (date.timeIntervalSince1970 * 1000).rounded(.down)
        let wholeSecond = Date(timeIntervalSince1970: (millis / 1000).rounded(.down))
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: wholeSecond)
        let milli = Int(millis.truncatingRemainder(dividingBy: 1000) + (millis < 0 ? 1000 : 0)) % 1000
        let day = "\(zeroPadded(parts.year ?? 0, 4))-\(zeroPadded(parts.month ?? 0))-\(zeroPadded(parts.day ?? 0))"
        return "\(day)T\(zeroPadded(parts.hour ?? 0)):\(zeroPadded(parts.minute ?? 0)):\(zeroPadded(parts.second ?? 0)).\(zeroPadded(milli, 3))+00:00"
    }
}
