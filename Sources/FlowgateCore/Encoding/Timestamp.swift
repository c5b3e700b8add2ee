import Foundation

/// RFC 3339 timestamps in UTC with a `Z`, the only form the canonical API emits.
///
/// Whole seconds print without a fraction (`2026-03-15T13:00:00Z`); other instants print their
/// milliseconds (`2026-03-15T13:00:00.117Z`), rounded to the nearest one — what every upstream here
/// provides. `Date` holds a `Double`, so `…00.117` may be stored as `…00.11699999`: truncating (as
/// Foundation's formatter does) would print `.116`; rounding in whole numbers gives back `.117`.
public enum Timestamp {
    public static func format(_ date: Date) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(24)
        write(date, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends the timestamp's text to `bytes` (the canonical JSON writer's way: no string built).
    public static func write(_ date: Date, to bytes: inout [UInt8]) {
        let (seconds, millis) = CivilTime.split(milliseconds(date), by: 1000)
        let (days, secondOfDay) = CivilTime.split(seconds, by: 86_400)
        let (year, month, day) = CivilTime.date(days: days)
        let second = Int(secondOfDay)
        if year < 0 || year > 9999 {
            bytes.append(contentsOf: pad(year, 4).utf8)
        } else {
            digits(year, 4, to: &bytes)
        }
        bytes.append(UInt8(ascii: "-"))
        digits(month, 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        digits(day, 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        digits(second / 3600, 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        digits(second / 60 % 60, 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        digits(second % 60, 2, to: &bytes)
        if millis != 0 {
            bytes.append(UInt8(ascii: "."))
            digits(Int(millis), 3, to: &bytes)
        }
        bytes.append(UInt8(ascii: "Z"))
    }

    /// `value` (0 ≤ value < 10^width, width 2 to 4) in exactly `width` decimal digits.
    private static func digits(_ value: Int, _ width: Int, to bytes: inout [UInt8]) {
        let zero = UInt8(ascii: "0")
        if width == 4 { bytes.append(zero + UInt8(value / 1000)) }
        if width >= 3 { bytes.append(zero + UInt8(value / 100 % 10)) }
        bytes.append(zero + UInt8(value / 10 % 10))
        bytes.append(zero + UInt8(value % 10))
    }

    /// Parses an RFC 3339 timestamp with a zone designator (`Z` or `±hh:mm`), with or without a fraction.
    public static func parse(_ text: String) -> Date? {
        guard let fields = CivilTime.parse(text), let offset = fields.offset else { return nil }
        return instant(fields, offset: offset)
    }

    /// The instant of parsed fields at `offset` seconds east of UTC.
    public static func instant(_ fields: CivilTime.Fields, offset: Int) -> Date {
        let seconds = fields.wallClockSeconds - Int64(offset)
        return Date(timeIntervalSince1970: Double(seconds) + Double(fields.nanosecond) / 1_000_000_000)
    }

    /// The instant in whole milliseconds since 1970, rounded to the nearest.
    public static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.utf8.count)) + digits
    }
}

extension KeyedEncodingContainer {
    /// Encodes an optional date as an RFC 3339 UTC string, or `null`: absent values stay in the document.
    mutating func encodeTimestamp(_ date: Date?, forKey key: Key) throws {
        try encode(date.map(Timestamp.format), forKey: key)
    }
}

extension KeyedDecodingContainer {
    func decodeTimestamp(forKey key: Key) throws -> Date? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let date = Timestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "not an RFC 3339 timestamp")
        }
        return date
    }
}
