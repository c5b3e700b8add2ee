import FlowgateCore
import Foundation
import Testing

struct RFC3339Tests {
    @Test(arguments: [
        ("2026-03-15T13:00:00Z", 1_773_579_600.0),
        ("2026-03-15t13:00:00z", 1_773_579_600.0),
        ("2026-03-15T18:30:00+05:30", 1_773_579_600.0),
        ("2026-03-15T13:00:00-00:00", 1_773_579_600.0),
        ("2026-03-15T13:00:00.25Z", 1_773_579_600.25),
        ("2026-03-15T13:00:00.123456789Z", 1_773_579_600.123456789),
        ("2026-03-16T12:59:00+23:59", 1_773_579_600.0),
        ("1970-01-01T00:00:00Z", 0.0),
        ("2000-02-29T00:00:00Z", 951_782_400.0),
        ("0000-01-01T00:00:00Z", -62_167_219_200.0),
        ("9999-12-31T23:59:59Z", 253_402_300_799.0),
    ])
    func readsTheInstantTheTextNames(text: String, seconds: Double) throws {
        let date = try #require(RFC3339.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 1e-6)
    }

    @Test func agreesWithFoundationOnEveryDayOfALeapYearAndOthers() throws {
        // Foundation's proleptic-Gregorian reader, for the dates both accept.
        for year in [1600, 1900, 1969, 2024, 2026] {
            for month in 1...12 {
                for day in [1, 28, 29, 30, 31] {
                    let text = String(format: "%04d-%02d-%02dT07:08:09+02:00", year, month, day)
                    let ours = RFC3339.parse(text)
                    let foundation = try? Date(text, strategy: .iso8601)
                    let foundationDay = foundation.map {
                        Calendar(identifier: .iso8601).dateComponents(in: TimeZone(identifier: "UTC")!, from: $0.addingTimeInterval(7_200)).day
                    }
                    if foundationDay == day {
                        #expect(ours == foundation, "\(text)")
                    } else {
                        #expect(ours == nil, "\(text) is not a calendar day")
                    }
                }
            }
        }
    }

    @Test(arguments: [
        "2026-02-30T13:00:00Z", "2026-04-31T00:00:00Z", "1900-02-29T00:00:00Z", "2026-13-15T13:00:00Z",
        "2026-00-15T13:00:00Z", "2026-03-00T13:00:00Z", "2026-03-15T24:00:00Z", "2026-03-15T13:60:00Z",
        "2026-03-15T23:59:60Z", "2026-03-15 13:00:00Z", "2026-03-15T13:00:00", "2026-03-15T13:00Z",
        "2026-03-15T13:00:00+05", "2026-03-15T13:00:00+0500", "2026-03-15T13:00:00+24:00", "2026-03-15T13:00:00+05:60",
        "2026-03-15T13:00:00.Z", "2026-03-15T13:00:00,5Z", "2026-03-15T13:00:00.1234567890Z", "2026-03-15T13:00:00Z ",
        " 2026-03-15T13:00:00Z", "2026-3-15T13:00:00Z", "+2026-03-15T13:00:00Z", "20260315T130000Z", "", "Z",
        "2026-03-15T13:00:00\u{0}Z", "２０２６-03-15T13:00:00Z",
    ])
    func refusesAnythingElse(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }
}
