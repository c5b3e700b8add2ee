import FlowgateCore
import FlowgateProviders
import Foundation
import Testing

/// The tolerant readers: every plausible shape accepted, anything else nil and reported once per read.
struct TolerantReadingTests {
    @Test func keysAreFoundInAnyStyle() {
        let object = UpstreamObject(["DOCUMENT_TYPE": .string("DEAL"), "moduleId": .string("crm"), "file_name": .string("a.pdf"), "id": .int(7)])
        #expect(object["documentType"] == .string("DEAL"))
        #expect(object["module_id"] == .string("crm") && object["MODULE_ID"] == .string("crm"))
        #expect(object["fileName"] == .string("a.pdf") && object["filename"] == .string("a.pdf"))
        #expect(object["ID"] == .int(7))
        #expect(object["name"] == nil)
        #expect(object["missing", "id"] == .int(7), "the first name present wins")
        let both = UpstreamObject(["name": .null, "fileName": .string("b.pdf")])
        #expect(both["name", "fileName"] == .string("b.pdf"), "a null does not hide a later name")
        #expect(both["name"] == .null)
        let exact = UpstreamObject(["id": .string("lower"), "ID": .string("upper")])
        #expect(exact["ID"] == .string("upper") && exact["id"] == .string("lower"), "an exact key wins over a look-alike")
    }

    @Test func plausibleShapesAreRead() {
        let drift = DriftRecorder()
        let json = UpstreamJSON(drift.connection(.workingflow))
        #expect(json.text(.int(12), "f") == "12" && json.text(.string("x"), "f") == "x" && json.text(.double(3), "f") == "3")
        #expect(json.integer(.string(" 42 "), "f") == 42 && json.integer(.double(5), "f") == 5 && json.integer(.int(-1), "f") == -1)
        #expect(json.flag(.string("Y"), "f") == true && json.flag(.int(0), "f") == false && json.flag(.string("false"), "f") == false)
        #expect(json.instant(.string("2026-05-01T09:15:22.117+0000"), "f") == Timestamp.parse("2026-05-01T09:15:22.117Z"))
        #expect(json.instant(.int(1_777_626_922), "f") == Date(timeIntervalSince1970: 1_777_626_922), "epoch seconds")
        #expect(json.instant(.int(1_777_626_922_117), "f") == Date(timeIntervalSince1970: 1_777_626_922.117), "epoch milliseconds")
        #expect(json.instant(.string("2026-05-01T09:15:22"), "f") == Timestamp.parse("2026-05-01T09:15:22Z"), "zone-less is UTC by default")
        let local = UpstreamJSON(drift.connection(.geotareas, zone: TimeZone(identifier: "America/Argentina/Buenos_Aires") ?? .gmt))
        #expect(local.instant(.string("2026-05-01T09:15:22.117"), "f") == Timestamp.parse("2026-05-01T12:15:22.117Z"), "else the connection's zone")
        #expect(json.items(nil, "f").isEmpty && json.members(.null, "f") == nil && json.text(nil, "f") == nil)
        #expect(drift.reports.isEmpty, "nothing plausible is reported")
    }

    @Test func whatFitsNothingIsNilAndReported() {
        let drift = DriftRecorder()
        let json = UpstreamJSON(drift.connection(.workingflow))
        #expect(json.text(.object([:]), "name") == nil)
        #expect(json.text(.bool(true), "label") == nil)
        #expect(json.integer(.string("twelve"), "size") == nil)
        #expect(json.flag(.string("maybe"), "hasStartForm") == nil)
        #expect(json.instant(.string("next tuesday"), "startTime") == nil)
        #expect(json.items(.object([:]), "files").isEmpty)
        #expect(json.members(.array([]), "variables") == nil)
        #expect(
            drift.reports == [
                "name: object", "label: boolean", "size: non-numeric string", "hasStartForm: non-boolean string", "startTime: unparsable string",
                "files: object",
                "variables: array",
            ]
        )
    }
}

/// Geotareas' zone-less local times, read in the connection's zone to the millisecond.
struct LocalTimestampTests {
    @Test(arguments: ["America/Argentina/Buenos_Aires", "Europe/Berlin", "UTC", "Asia/Kolkata"])
    func zoneLessTimesRoundTrip(zone: String) throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        var random = SplitMix(state: 42)
        for _ in 0..<200 {
            let seconds = Int64.random(in: 1_600_000_000...1_900_000_000, using: &random)
            let date = Date(timeIntervalSince1970: Double(seconds))
            let text = LocalTimestamp.format(date, in: timeZone)
            #expect(!text.hasSuffix("Z") && !text.contains("+"), "\(text) carries no zone")
            let back = try #require(LocalTimestamp.parse(text, in: timeZone))
            // An hour that repeats when clocks go back reads as its first occurrence.
            let repeated = timeZone.secondsFromGMT(for: date) != timeZone.secondsFromGMT(for: date.addingTimeInterval(-3600))
            if !repeated { #expect(back == date, "\(zone): \(text)") }
        }
        let millis = try #require(LocalTimestamp.parse("2026-03-15T10:00:00.117", in: timeZone))
        #expect(Timestamp.format(millis).contains(":00.117Z"), "milliseconds survive a zone")
    }

    @Test func buenosAiresIsThreeHoursBehind() throws {
        let zone = try #require(TimeZone(identifier: "America/Argentina/Buenos_Aires"))
        #expect(LocalTimestamp.parse("2026-03-15T10:00:00", in: zone).map(Timestamp.format) == "2026-03-15T13:00:00Z")
        #expect(LocalTimestamp.parse("2026-03-15T10:00:00Z", in: zone).map(Timestamp.format) == "2026-03-15T10:00:00Z", "a zone given wins")
        #expect(LocalTimestamp.format(try #require(Timestamp.parse("2026-03-15T13:00:00Z")), in: zone) == "2026-03-15T10:00:00")
    }
}

/// A fixed-seed generator (SplitMix64).
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
