import Foundation

/// Reads a caller's RFC 3339 date-time (RFC 3339 §5.6) exactly as `Routes/openapi.yaml` describes it, and
/// nothing else.
///
/// ``Timestamp/parse(_:)`` is Foundation's ISO 8601 reader, tolerant on purpose for upstream answers:
/// it rolls `2026-02-30` over to March 2nd and `24:00` to the next day, takes `+05` and a trailing
/// space, and refuses offsets beyond ±18:00 and lower-case `t`/`z`, which RFC 3339 allows. A filter a
/// caller typed wrong must be a `400`, not a silently shifted list, and the schema must be able to say
/// which strings pass: `YYYY-MM-DD` `T` `hh:mm:ss`, an optional fraction of 1–9 digits, then `Z` or
/// `±hh:mm`; a real proleptic-Gregorian day, hours 00–23, minutes and seconds 00–59 (no leap second),
/// offsets to ±23:59. Pure arithmetic on the bytes: no calendar, no locale, no allocation.
public enum RFC3339 {
    public static func parse(_ text: String) -> Date? {
        var bytes = Substring(text).utf8
        guard bytes.count >= 20, bytes.count <= 35,
            let year = number(&bytes, digits: 4), literal(&bytes, "-"),
            let month = number(&bytes, digits: 2), literal(&bytes, "-"),
            let day = number(&bytes, digits: 2), literal(&bytes, "T", "t"),
            let hour = number(&bytes, digits: 2), literal(&bytes, ":"),
            let minute = number(&bytes, digits: 2), literal(&bytes, ":"),
            let second = number(&bytes, digits: 2)
        else { return nil }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60, second < 60 else {
            return nil
        }
        var fraction = 0.0
        if literal(&bytes, ".") {
            var scale = 0.1
            var count = 0
            while let digit = bytes.first.flatMap(Self.digit) {
                count += 1
                guard count <= 9 else { return nil }
                fraction += Double(digit) * scale
                scale /= 10
                bytes.removeFirst()
            }
            guard count > 0 else { return nil }
        }
        guard let offset = zoneOffset(&bytes), bytes.isEmpty else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// `Z`/`z` is 0; `±hh:mm` is that many seconds east of UTC.
    private static func zoneOffset(_ bytes: inout Substring.UTF8View) -> Int? {
        if literal(&bytes, "Z", "z") { return 0 }
        guard let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        bytes.removeFirst()
        guard let hours = number(&bytes, digits: 2), literal(&bytes, ":"), let minutes = number(&bytes, digits: 2),
            hours < 24, minutes < 60
        else { return nil }
        let offset = hours * 3_600 + minutes * 60
        return sign == UInt8(ascii: "+") ? offset : -offset
    }

    private static func number(_ bytes: inout Substring.UTF8View, digits: Int) -> Int? {
        var value = 0
        for _ in 0..<digits {
            guard let digit = bytes.first.flatMap(Self.digit) else { return nil }
            value = value * 10 + digit
            bytes.removeFirst()
        }
        return value
    }

    private static func literal(_ bytes: inout Substring.UTF8View, _ accepted: Unicode.Scalar...) -> Bool {
        guard let first = bytes.first, accepted.contains(where: { UInt8(ascii: $0) == first }) else { return false }
        bytes.removeFirst()
        return true
    }

    private static func digit(_ byte: UInt8) -> Int? {
        (48...57).contains(byte) ? Int(byte - 48) : nil
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to a proleptic-Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
