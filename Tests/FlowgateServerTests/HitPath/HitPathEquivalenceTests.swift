import Foundation
import HummingbirdTesting
import InMemoryLogging
import Logging
import Synchronization
import Testing

@testable import FlowgateServer

/// The hit path below the router answers as the router would: the same bytes on the wire (but the
/// `Date` value), the same request and cache metrics, the same access line.
@Suite struct HitPathEquivalenceTests {
    struct Run: Sendable {
        var hit: String
        /// The body of the miss that primed the cache.
        var primed: String
        var access: [InMemoryLogHandler.Entry]
        var metrics: String
        var belowRouter: Int
    }

    /// Primes one instance read, then reads it again on a fresh connection, with or without the hit path.
    static func run(hitPath: Bool) async throws -> Run {
        let logs = InMemoryLogHandler()
        let metrics = GatewayMetrics()
        let hit = try await LiveStack.run(
            logger: Logger(label: "flowgate", factory: { _ in logs }), metrics: metrics, config: HitPath.config(), hitPath: hitPath
        ) { _, client in
            let port = try #require(client.port)
            var priming = try await RawConnection.connect(port: port)
            try await priming.send(HitPath.request(HitPath.workingflow, key: TestKeys.acmeReadOnly, id: "prime"))
            let miss = try #require(await HitPath.read(1, from: &priming).first)
            #expect(miss.response.header("x-cache") == "MISS")
            await priming.close()
            var connection = try await RawConnection.connect(port: port)
            try await connection.send(HitPath.request(HitPath.workingflow, key: TestKeys.acmeReadOnly, id: "the-hit"))
            let answer = try #require(await HitPath.read(1, from: &connection).first)
            await connection.close()
            return (answer.raw, miss.response.body)
        }
        let access = logs.entries.filter { $0.message.description == "GET /v1/instances/{id} 200" }
        return Run(
            hit: hit.0, primed: hit.1, access: access, metrics: String(decoding: metrics.exposition(), as: UTF8.self),
            belowRouter: metrics.hitsBelowRouter.load(ordering: .relaxed))
    }

    @Test func aHitBelowTheRouterIsTheRoutersHit() async throws {
        let router = try await Self.run(hitPath: false)
        let below = try await Self.run(hitPath: true)
        #expect(router.belowRouter == 0)
        #expect(below.belowRouter == 1, "the second read was answered below the router")

        // The heads byte for byte; the bodies are each run's cached answer (the emulator's clock differs).
        func head(_ text: String) -> String { HitPath.withoutDates(String(text[..<(text.range(of: "\r\n\r\n")?.upperBound ?? text.endIndex)])) }
        #expect(head(below.hit) == head(router.hit), "\(below.hit.debugDescription)\n\(router.hit.debugDescription)")
        #expect(HitPath.answers(below.hit).first?.response.body == below.primed && HitPath.answers(router.hit).first?.response.body == router.primed)
        #expect(below.hit.hasPrefix("HTTP/1.1 200 OK\r\n"))
        let names = HitPath.answers(below.hit).first?.response.headers.map(\.name) ?? []
        #expect(names == ["content-type", "content-length", "x-cache", "age", "x-request-id", "date", "server"])
        #expect(below.hit.contains("\r\nX-Cache: HIT\r\n") && below.hit.contains("\r\nX-Request-Id: the-hit\r\n"))
        let date = try #require(HitPath.answers(below.hit).first?.response.header("date"))
        #expect(date.range(of: #"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$"#, options: .regularExpression) != nil, "\(date)")

        // The same access lines (but their durations), in the same words and with the same metadata.
        func comparable(_ entries: [InMemoryLogHandler.Entry]) -> [String] {
            entries.map { entry in
                let metadata = entry.metadata.filter { $0.key != "duration_ms" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                return "\(entry.level) \(entry.message) \(metadata)"
            }
        }
        #expect(comparable(below.access) == comparable(router.access))
        #expect(comparable(below.access).last?.contains("hb.request.id=the-hit") == true)

        // The same counters.
        func counters(_ text: String) -> [Substring] {
            text.split(separator: "\n").filter { $0.hasPrefix("flowgate_http_requests_total{") || $0.hasPrefix("flowgate_cache_events_total{") }
                .sorted()
        }
        #expect(counters(below.metrics) == counters(router.metrics))
        #expect(below.metrics.contains(#"flowgate_cache_events_total{result="hit"} 1"#))
        #expect(below.metrics.contains(#"flowgate_http_requests_total{route="/v1/instances/{id}",method="GET",status="200"} 2"#))
    }
}
