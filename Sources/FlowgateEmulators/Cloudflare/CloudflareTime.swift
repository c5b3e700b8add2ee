import Foundation

/// Cloudflare timestamps: RFC 3339 UTC with milliseconds, `2019-12-27T18:11:19.117Z`.
enum CloudflareTime {
    static func format(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }

    /// A UTC instant, for seeded data.
    static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)) ?? .distantPast
    }

    /// Parses a `date_start`/`date_end` filter: "ISO 8601 with no timezone offsets and in UTC". A zone-less
    /// value or one ending in `Z` is accepted, a date alone means midnight UTC [INF]; an offset such as
    /// `+02:00` is refused, so a gateway that sends local times hears about it.
    static func parseFilter(_ text: String) -> Date? {
        var value = text
        if value.count == 10 { value += "T00:00:00" }
        if value.hasSuffix("Z") { value.removeLast() }
        guard value.count >= 19, !value.dropFirst(10).contains(where: { $0 == "+" || $0 == "-" }) else { return nil }
        let zoned = value + "Z"
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(zoned) { return date }
        return try? Date.ISO8601FormatStyle().parse(zoned)
    }
}
