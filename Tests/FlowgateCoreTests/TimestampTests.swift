import FlowgateCore
import Foundation
import Testing

/// Every instant keeps its milliseconds: formatting rounds to the nearest millisecond in whole
/// numbers, so what an upstream said (`…00.117Z`) is what the canonical answer says.
struct TimestampTests {
    /// A fixed-seed generator, so a failure names an instant that can be reproduced.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func theMillisecondThatUsedToBeLost() throws {
        let date = try #require(Timestamp.parse("2026-03-15T13:00:00.117Z"))
        #expect(Timestamp.format(date) == "2026-03-15T13:00:00.117Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_773_579_600.117)) == "2026-03-15T13:00:00.117Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_773_579_600.9996)) == "2026-03-15T13:00:01Z", "rounds up across a second")
    }

    @Test func aThousandRandomInstantsRoundTripToTheMillisecond() throws {
        var random = SplitMix(state: 0x5EED)
        for _ in 0..<1000 {
            // 1900 to 2200, any millisecond.
            let millis = Int64.random(in: -2_208_988_800_000...7_258_118_400_000, using: &random)
            let date = Date(timeIntervalSince1970: Double(millis) / 1000)
            let text = Timestamp.format(date)
            let back = try #require(Timestamp.parse(text), "\(text) does not parse")
            #expect(Timestamp.milliseconds(back) == millis, "\(millis) ms printed as \(text)")
            #expect(Timestamp.format(back) == text)
            let shape = millis % 1000 == 0 ? #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"# : #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"#
            #expect(text.range(of: shape, options: .regularExpression) != nil, "\(text): RFC 3339 in UTC, a fraction only when there is one")
        }
    }

    @Test func eachUpstreamsOwnFormatKeepsItsMilliseconds() throws {
        let cases: [(upstream: String, wire: String, canonical: String)] = [
            ("Workingflow (Jackson)", "2026-05-01T09:15:22.117+00:00", "2026-05-01T09:15:22.117Z"),
            ("Workingflow (Jackson)", "2026-05-01T09:15:22.000+00:00", "2026-05-01T09:15:22Z"),
            ("Bitrix24 (portal offset)", "2026-04-28T17:23:17+03:00", "2026-04-28T14:23:17Z"),
            ("Bitrix24 (negative offset)", "2026-04-28T17:23:17.250-05:30", "2026-04-28T22:53:17.250Z"),
            ("Cloudflare (UTC, millis)", "2019-12-27T18:11:19.117Z", "2019-12-27T18:11:19.117Z"),
            ("across midnight", "2026-01-01T01:00:00.001+02:00", "2025-12-31T23:00:00.001Z"),
            ("leap day", "2024-02-29T23:59:59.999Z", "2024-02-29T23:59:59.999Z"),
            ("before 1970", "1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z"),
            ("more digits than milliseconds", "2026-03-15T13:00:00.1234567Z", "2026-03-15T13:00:00.123Z"),
        ]
        for entry in cases {
            let date = try #require(Timestamp.parse(entry.wire), "\(entry.upstream): \(entry.wire)")
            #expect(Timestamp.format(date) == entry.canonical, "\(entry.upstream)")
        }
    }

    @Test func onlyRealRFC3339InstantsParse() {
        for text in [
            "2026-03-15 13:00:00", "2026-02-30T10:00:00Z", "2026-13-01T10:00:00Z", "2026-03-15T24:00:00Z", "2026-03-15T13:00Z",
            "2026-03-15T13:00:00+0300", "2026-03-15T13:00:00.Z", "2026-3-15T13:00:00Z", "", "yesterday",
        ] {
            #expect(Timestamp.parse(text) == nil, "\(text)")
        }
        // What upstreams write beside RFC 3339 is read by the lenient parser the adapters use.
        #expect(CivilTime.parse("2026-03-15T13:00:00+0300", lenient: true)?.offset == 3 * 3600)
        #expect(CivilTime.parse("2026-03-15T13:00", lenient: true)?.offset == nil)
    }

    @Test func civilDaysAgreeWithTheCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        // From 1600: before 1582 Foundation's calendar is Julian, while RFC 3339 dates are proleptic Gregorian.
        for days in stride(from: Int64(-135_000), through: 800_000, by: 997) {
            let date = Date(timeIntervalSince1970: Double(days) * 86_400)
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            let civil = CivilTime.date(days: days)
            #expect(civil.year == parts.year && civil.month == parts.month && civil.day == parts.day, "day \(days)")
            #expect(CivilTime.days(year: civil.year, month: civil.month, day: civil.day) == days)
        }
    }
}
