import Foundation

/// Geotareas timestamps: ISO 8601 without a zone, `2026-03-15T10:00:00`.
/// [GAP] The docs never name the reference zone; the emulator writes wall-clock time in the tenant's
/// zone (America/Argentina/Buenos_Aires, as `Config/demo.yaml` declares), so a gateway that reads
/// them as UTC is three hours off and a test can see it.
enum GeotareasTime {
    static let zone: TimeZone = TimeZone(identifier: "America/Argentina/Buenos_Aires") ?? TimeZone(secondsFromGMT: -3 * 3600) ?? .gmt

    private static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    /// `2026-03-15T10:00:00` in the tenant zone.
    static func format(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return "\(day(parts))T\(zeroPadded(parts.hour ?? 0, 2)):\(zeroPadded(parts.minute ?? 0, 2)):\(zeroPadded(parts.second ?? 0, 2))"
    }

    /// `2026-03-15`, for date-only values such as captured `date` fields.
    static func formatDay(_ date: Date) -> String {
        day(calendar.dateComponents([.year, .month, .day], from: date))
    }

    /// A wall-clock time in the tenant zone, for seeded data.
    static func local(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) -> Date {
        let parts = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        return calendar.date(from: parts) ?? .distantPast
    }

    /// Parses a filter bound: zone-less date-time or date (tenant-local), or a zoned ISO 8601 value.
    /// A date-only upper bound means the end of that day [INF].
    static func parse(_ text: String, endOfDay: Bool = false) -> Date? {
        if let zoned = try? Date(text, strategy: .iso8601) { return zoned }
        let halves = text.split(separator: "T", maxSplits: 1, omittingEmptySubsequences: false)
        let date = halves[0].split(separator: "-", omittingEmptySubsequences: false)
        guard date.count == 3, date[0].count == 4, date[1].count == 2, date[2].count == 2,
            let year = Int(date[0]), let month = Int(date[1]), let day = Int(date[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var (hour, minute, second) = endOfDay ? (23, 59, 59) : (0, 0, 0)
        if halves.count == 2 {
            let time = halves[1].split(separator: ":", omittingEmptySubsequences: false)
            guard (2...3).contains(time.count), let parsedHour = Int(time[0]), let parsedMinute = Int(time[1]),
                (0...23).contains(parsedHour), (0...59).contains(parsedMinute)
            else { return nil }
            let parsedSecond = time.count == 3 ? Double(time[2]).map { Int($0) } : 0
            guard let parsedSecond, (0...59).contains(parsedSecond) else { return nil }
            (hour, minute, second) = (parsedHour, parsedMinute, parsedSecond)
        }
        let parts = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let result = calendar.date(from: parts), calendar.component(.day, from: result) == day else { return nil }
        return result
    }

    private static func day(_ parts: DateComponents) -> String {
        "\(zeroPadded(parts.year ?? 0, 4))-\(zeroPadded(parts.month ?? 0, 2))-\(zeroPadded(parts.day ?? 0, 2))"
    }
}
