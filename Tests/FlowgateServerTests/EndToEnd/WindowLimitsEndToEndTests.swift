import AsyncHTTPClient
import FlowgateCore
import FlowgateEmulators
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Testing

/// Window buckets through the real gateway and the emulators, with one ``ManualClock`` for both: the
/// gateway's waits and the emulators' windows move together when the test advances it, so minutes
/// pass without waiting for them.
@Suite struct WindowLimitsEndToEndTests {
    static let login = "/apidev/v1/login"
    static let instances = "/apidev/v1/workflow/instances"

    /// One caller's answer: status, `Retry-After`, and whether an upstream refused it.
    struct Answer: Sendable {
        var status: UInt
        var retryAfter: Int?
        var fromUpstream: Bool
    }

    /// Geotareas allows 30 reads a minute: twenty callers at once all get through, after one login.
    @Test func twentyConcurrentFirstReadsAllGoThroughAfterOneLogin() async throws {
        let clock = ManualClock()
        try await LiveStack.run(emulators: EmulatorSet(now: { clock.date }).emulators, clock: clock) { stack, client in
            let port = try #require(client.port)
            let answers = try await Self.concurrently(20, port: port) { "/v1/instances?connection=geo&limit=\($0 + 1)" }
            #expect(answers.map(\.status) == Array(repeating: 200, count: 20), "\(answers.map(\.status))")
            let geotareas = stack.emulator("geotareas")
            #expect(GeoB24.received(geotareas, Self.login).count == 1)
            #expect(GeoB24.received(geotareas, Self.instances).count == 20)
        }
    }

    /// 45 callers at once against 30 reads a minute: 30 reach Geotareas, 15 are refused by the gateway
    /// with the exact wait (the first slot frees 60 s + the 150 ms margin later); after it they all succeed,
    /// and Geotareas never sees more than 30 in a minute nor refuses anything.
    @Test func fortyFiveConcurrentReadsKeepTheUpstreamsWindowAndRetryAfterIsExact() async throws {
        let clock = ManualClock()
        try await LiveStack.run(emulators: EmulatorSet(now: { clock.date }).emulators, clock: clock) { stack, client in
            let port = try #require(client.port)
            let answers = try await Self.concurrently(45, port: port) { "/v1/instances?connection=geo&limit=\($0 + 1)" }
            let refused = answers.enumerated().filter { $0.element.status == 429 }
            #expect(answers.filter { $0.status == 200 }.count == 30)
            #expect(refused.count == 15)
            #expect(refused.allSatisfy { !$0.element.fromUpstream && $0.element.retryAfter == 61 }, "local, 60.15 s rounded up")

            // The bucket as GET /v1/connections and the metrics show it: full until 60.15 s from now.
            let connections = try await GeoB24.get(client, "/v1/connections")
            OpenAPIValidator.shared.check(connections, path: "/v1/connections", method: "get")
            let geo = try GeoB24.items(connections).first { $0["name"] as? String == "geo" }
            let bucket = (geo?["limits"] as? [[String: Any]])?.first { $0["bucket"] as? String == "reads" }
            #expect(bucket?["kind"] as? String == "window" && bucket?["limit"] as? Int == 30 && bucket?["window_s"] as? Double == 60)
            #expect(bucket?["used"] as? Int == 30 && bucket?["keyed_by"] as? String == "credential")
            #expect(bucket?["next_free_at"] as? String == Timestamp.format(clock.date.addingTimeInterval(60.15)))
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"flowgate_upstream_budget_used{tenant="acme",connection="geo",bucket="reads"} 30"#))
            #expect(metrics.contains(#"flowgate_upstream_budget_limit{tenant="acme",connection="geo",bucket="reads"} 30"#))

            clock.advance(by: .seconds(61))
            let retried = try await Self.concurrently(refused.count, port: port) { "/v1/instances?connection=geo&limit=\(refused[$0].offset + 1)" }
            #expect(retried.allSatisfy { $0.status == 200 }, "\(retried.map(\.status))")

            let reads = GeoB24.received(stack.emulator("geotareas"), Self.instances).map(\.receivedAt).sorted()
            #expect(reads.count == 45)
            #expect(ClusterEndToEndTests.busiestWindow(reads, seconds: 60) <= 30)
            #expect(reads.last.map { $0.timeIntervalSince(reads[0]) } == 61, "the second round went when the test moved the clock")
        }
    }

    /// Bitrix24's portal takes about 10 calls a second whatever the key, and answers more with 502
    /// `BITRIX_UNAVAILABLE`. Twelve reads at once: ten go, two wait for the portal's window, none meets
    /// the portal's refusal.
    @Test func aBitrixBurstWaitsForThePortalInsteadOfMeetingItsRefusal() async throws {
        let clock = ManualClock()
        try await LiveStack.run(emulators: EmulatorSet(now: { clock.date }).emulators, clock: clock) { stack, client in
            let port = try #require(client.port)
            let calls = Task { try await Self.concurrently(12, port: port) { "/v1/instances?connection=b24&limit=\($0 + 1)" } }
            let waiting = (try? await clock.waitForSleepers(2, timeout: .seconds(30))) != nil
            let limit = ContinuousClock.now + .seconds(30)
            while stack.emulator("bitrix24").recorder.count < 10, ContinuousClock.now < limit { try await Task.sleep(for: .milliseconds(5)) }
            #expect(waiting && stack.emulator("bitrix24").recorder.count == 10, "ten at once, two waiting")
            // The portal's window is 1 s, plus the margin (instants are Unix-time doubles: a hair more).
            clock.advance(by: .milliseconds(1151))
            // Should the calls not be where this test expects them, time keeps moving so none waits forever.
            let pump = Task {
                guard !waiting else { return }
                while !Task.isCancelled {
                    clock.advance(by: .seconds(2))
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            defer { pump.cancel() }
            let answers = try await calls.value
            #expect(answers.map(\.status) == Array(repeating: 200, count: 12), "\(answers.map(\.status))")
            let times = GeoB24.received(stack.emulator("bitrix24"), "/v1/workflows").map(\.receivedAt).sorted()
            #expect(times.count == 12)
            #expect(ClusterEndToEndTests.busiestWindow(times, seconds: 1) <= 10)
        }
    }

    /// `n` GETs at once over separate connections, `uri(i)` for caller `i`.
    static func concurrently(_ count: Int, port: Int, _ uri: @escaping @Sendable (Int) -> String) async throws -> [Answer] {
        try await withThrowingTaskGroup(of: (Int, Answer).self) { group in
            for index in 0..<count {
                group.addTask {
                    var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(uri(index))")
                    request.headers.add(name: "Authorization", value: "Bearer \(TestKeys.acmeReadWrite)")
                    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                    let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
                    let answer = Answer(
                        status: response.status.code, retryAfter: response.headers.first(name: "Retry-After").flatMap { Int($0) },
                        fromUpstream: !body.contains(#""upstream":null"#) && response.status.code >= 400
                    )
                    return (index, answer)
                }
            }
            return try await group.reduce(into: [(Int, Answer)]()) { $0.append($1) }.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}
