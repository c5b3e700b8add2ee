/// Calendar arithmetic in whole numbers: proleptic Gregorian dates ↔ days since 1970-01-01, and the
/// fields of an RFC 3339-like timestamp. Integer arithmetic only, so a millisecond read is the
/// millisecond written (Foundation's formatters go through `Double` and truncate).
///
/// The day conversions are Howard Hinnant's `days_from_civil` / `civil_from_days`.
public enum CivilTime {
    /// The fields of `YYYY-MM-DDThh:mm:ss[.fraction][zone]`.
    public struct Fields: Sendable, Hashable {
        public var year: Int
        public var month: Int
        public var day: Int
        public var hour: Int
        public var minute: Int
        public var second: Int
        /// The fraction in nanoseconds (digits beyond the ninth are dropped).
        public var nanosecond: Int
        /// Seconds east of UTC (`Z` is 0); nil when the text names no zone.
        public var offset: Int?

        /// Seconds since 1970-01-01T00:00:00 of the wall-clock fields, as if they were UTC.
        public var wallClockSeconds: Int64 {
            let days = CivilTime.days(year: year, month: month, day: day)
            return days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        }
    }

    public static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public static func date(days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Floor division and its remainder, for instants before 1970 too.
    static func split(_ value: Int64, by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let remainder = value % divisor
        return remainder < 0 ? (value / divisor - 1, remainder + divisor) : (value / divisor, remainder)
    }

    /// Reads `YYYY-MM-DD(T|t| )hh:mm:ss[.fraction][Z|z|±hh:mm]`; nil for anything else, including
    /// impossible dates (February 30th) and out-of-range fields. `lenient` also takes what upstreams
    /// write beside RFC 3339: no seconds (`hh:mm`), a comma before the fraction, `±hhmm` and `±hh`.
    public static func parse(_ text: String, lenient: Bool = false) -> Fields? {
        var reader = Reader(Array(text.utf8))
        guard let year = reader.digits(4), reader.skip("-"), let month = reader.digits(2), reader.skip("-"), let day = reader.digits(2),
            reader.skip("T") || reader.skip("t") || reader.skip(" "), let hour = reader.digits(2), reader.skip(":"), let minute = reader.digits(2)
        else { return nil }
        var second = 0
        var nanosecond = 0
        if reader.skip(":") {
            guard let value = reader.digits(2) else { return nil }
            second = value
            if reader.skip(".") || (lenient && reader.skip(",")) {
                guard let fraction = reader.fraction() else { return nil }
                nanosecond = fraction
            }
        } else if !lenient {
            return nil
        }
        var offset: Int?
        if reader.skip("Z") || reader.skip("z") {
            offset = 0
        } else if let sign = reader.sign() {
            guard let hours = reader.digits(2) else { return nil }
            var minutes = 0
            if reader.skip(":") {
                guard let value = reader.digits(2) else { return nil }
                minutes = value
            } else if !lenient {
                return nil
            } else if let value = reader.digits(2) {
                minutes = value
            }
            guard hours <= 23, minutes <= 59 else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        }
        guard reader.atEnd, (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month), hour <= 23, minute <= 59,
            second <= 60
        else { return nil }
        return Fields(year: year, month: month, day: day, hour: hour, minute: minute, second: second, nanosecond: nanosecond, offset: offset)
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index == bytes.count }

        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }

        mutating func sign() -> Int? {
            if skip("+") { return 1 }
            if skip("-") { return -1 }
            return nil
        }

        /// Exactly `count` ASCII digits.
        mutating func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + count] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += count
            return value
        }

        /// One or more digits, as nanoseconds.
        mutating func fraction() -> Int? {
            var nanoseconds = 0
            var read = 0
            while index < bytes.count, (48...57).contains(bytes[index]) {
                if read < 9 { nanoseconds = nanoseconds * 10 + Int(bytes[index] - 48) }
                read += 1
                index += 1
            }
            guard read > 0 else { return nil }
            for _ in read..<max(read, 9) { nanoseconds *= 10 }
            return nanoseconds
        }
    }
}
