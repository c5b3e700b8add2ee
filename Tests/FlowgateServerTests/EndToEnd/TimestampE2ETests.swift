import FlowgateEmulators
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Every instant an upstream sends comes out with the same millisecond, in UTC: compared here with
/// the upstream's own text in the same answer (`include=raw`), without the gateway's parser.
@Suite struct TimestampE2ETests {
    /// `…ss.SSS+00:00` or `…ss.SSSZ` as the canonical form writes it: `Z`, and no fraction for whole seconds.
    static func canonical(utc text: String) -> String {
        var text = text.replacingOccurrences(of: "+00:00", with: "Z")
        if text.hasSuffix(".000Z") { text = String(text.dropLast(5)) + "Z" }
        return text
    }

    @Test func workingflowTimesKeepTheirMilliseconds() async throws {
        try await LiveStack.run { _, client in
            var withFraction = 0
            for id in stride(from: 50_100, through: 50_390, by: 10) {
                let instance = try CFJSON.object(try await client.get("/v1/instances/wf:\(id)?include=raw"))
                let raw = try #require(instance["raw"] as? [String: Any])
                let start = try #require(raw["startTime"] as? String)
                #expect(instance["started_at"] as? String == Self.canonical(utc: start), "wf:\(id): \(start)")
                if let end = raw["endTime"] as? String { #expect(instance["ended_at"] as? String == Self.canonical(utc: end)) }
                if !start.contains(".000+") { withFraction += 1 }
            }
            #expect(withFraction > 20, "the seed's times carry milliseconds, so the comparison means something")
        }
    }

    @Test func cloudflareTimesKeepTheirMilliseconds() async throws {
        try await LiveStack.run { _, client in
            let items = try CFJSON.list(try await client.get("/v1/instances?connection=cf&limit=100&include=raw"))
            #expect(items.count > 20)
            for item in items {
                let raw = try #require(item["raw"] as? [String: Any])
                let created = try #require(raw["created_on"] as? String)
                #expect(item["started_at"] as? String == Self.canonical(utc: created), "\(created)")
                if let ended = raw["ended_on"] as? String { #expect(item["ended_at"] as? String == Self.canonical(utc: ended)) }
            }
        }
    }

    /// Bitrix24 sends the portal's offset, Geotareas no zone at all (read in the connection's zone,
    /// Buenos Aires here): the canonical instant is the same moment in UTC.
    @Test func offsetsAndZonelessTimesBecomeUTC() async throws {
        try await LiveStack.run(emulators: burstFriendlyEmulators()) { _, client in
            let b24 = try CFJSON.list(try await client.get("/v1/instances?connection=b24&limit=20&include=raw"))
            #expect(!b24.isEmpty)
            for item in b24 {
                let raw = try #require((item["raw"] as? [String: Any])?["STARTED"] as? String)
                let wire = try #require(try? Date(raw, strategy: .iso8601), "\(raw)")
                #expect(item["started_at"] as? String == wire.formatted(.iso8601), "\(raw)")
                #expect(raw.hasSuffix("+03:00"))
            }
            let geo = try CFJSON.list(try await client.get("/v1/instances?connection=geo&limit=20&include=raw"))
            #expect(!geo.isEmpty)
            var local = Calendar(identifier: .gregorian)
            local.timeZone = try #require(TimeZone(identifier: "America/Argentina/Buenos_Aires"))
            for item in geo {
                let raw = try #require((item["raw"] as? [String: Any])?["started_at"] as? String)
                let parts = raw.split(whereSeparator: { "-T:".contains($0) }).compactMap { Int($0) }
                let wire = try #require(
                    local.date(
                        from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4], second: parts[5])))
                #expect(item["started_at"] as? String == wire.formatted(.iso8601), "\(raw)")
            }
        }
    }
}
