import Foundation
import HummingbirdTesting
import Synchronization
import Testing

@testable import FlowgateServer

/// What the hit path must never do: answer a missing, wrong or unscoped key, another tenant, a caller
/// over its inbound rate, or a `no-cache` read. Each such request goes to the router, which answers
/// as it always did; the hit path's count shows it did not answer.
@Suite struct HitPathRefusalTests {
    /// Primes the Workingflow read with the read-write key (a miss, then a hit below the router: sent
    /// after the miss's answer, since a request that arrives while another is with the router goes
    /// there too), then runs `body` with one connection.
    static func primed(
        rwKeyRate: String? = nil, _ body: @Sendable (_ connection: inout RawConnection, _ metrics: GatewayMetrics) async throws -> Void
    ) async throws {
        let metrics = GatewayMetrics()
        try await LiveStack.run(metrics: metrics, config: HitPath.config(rwKeyRate: rwKeyRate)) { _, client in
            var connection = try await RawConnection.connect(port: try #require(client.port))
            try await connection.send(HitPath.request(HitPath.workingflow))
            _ = await HitPath.read(1, from: &connection)
            try await connection.send(HitPath.request(HitPath.workingflow))
            let primed = await HitPath.read(2, from: &connection)
            #expect(primed.map { $0.response.header("x-cache") } == ["MISS", "HIT"])
            #expect(metrics.hitsBelowRouter.load(ordering: .relaxed) == 1)
            try await body(&connection, metrics)
            await connection.close()
        }
    }

    @Test func aMissingOrWrongKeyGetsNoHit() async throws {
        try await Self.primed { connection, metrics in
            let requests = [
                HitPath.request(HitPath.workingflow, key: nil), HitPath.request(HitPath.workingflow, key: "fgk_acme_rw_0123456788"),
                HitPath.request(HitPath.workingflow, key: TestKeys.acmeReadWrite + "0"),
                HitPath.request(HitPath.workingflow, key: nil, extra: ["Authorization: Basic Zm9vOmJhcg=="]),
            ]
            let answers = try await HitPath.oneByOne(requests, on: &connection, already: 2)
            #expect(answers.map(\.statusLine) == Array(repeating: "HTTP/1.1 401 Unauthorized", count: 4))
            #expect(answers.allSatisfy { $0.header("x-cache") == nil && !$0.body.contains("\"id\":\"wf:50100\"") })
            #expect(metrics.hitsBelowRouter.load(ordering: .relaxed) == 1)
        }
    }

    @Test func anotherTenantNeverSeesTheAnswer() async throws {
        try await Self.primed { connection, metrics in
            // Globex asks acme's path, twice: the second time its key is one the router verified, and
            // still the hit path finds nothing under globex's name (its tenant has no connection `wf`).
            let answers = try await HitPath.oneByOne(
                Array(repeating: HitPath.request(HitPath.workingflow, key: TestKeys.globex), count: 2), on: &connection, already: 2)
            #expect(answers.map(\.statusLine) == Array(repeating: "HTTP/1.1 404 Not Found", count: 2))
            #expect(answers.allSatisfy { !$0.body.contains("\"id\":\"wf:50100\"") })
            #expect(metrics.hitsBelowRouter.load(ordering: .relaxed) == 1)
        }
    }

    @Test func aKeyWithoutTheReadScopeIsForbidden() async throws {
        try await Self.primed { connection, metrics in
            let answers = try await HitPath.oneByOne(
                Array(repeating: HitPath.request(HitPath.workingflow, key: TestKeys.acmeNative), count: 2), on: &connection, already: 2)
            #expect(answers.map(\.statusLine) == Array(repeating: "HTTP/1.1 403 Forbidden", count: 2))
            #expect(metrics.hitsBelowRouter.load(ordering: .relaxed) == 1)
        }
    }

    @Test func noCacheRepeatedFieldsAndBodiesGoToTheRouter() async throws {
        try await Self.primed { connection, metrics in
            let requests = [
                HitPath.request(HitPath.workingflow, extra: ["Cache-Control: no-cache"]),
                HitPath.request(HitPath.workingflow, id: "a", extra: ["X-Request-Id: b"]),
                HitPath.request(HitPath.workingflow, extra: ["Content-Length: 2"]) + "{}",
                HitPath.request(HitPath.workingflow, extra: ["Connection: close"]),
            ]
            let answers = try await HitPath.oneByOne(requests, on: &connection, already: 2)
            #expect(answers.map { $0.header("x-cache") } == ["BYPASS", "HIT", "HIT", "HIT"])
            #expect(answers[1].header("x-request-id")?.count == 32, "the router joins repeated ids ('a, b'), which is not an id: a new one")
            #expect(answers[3].header("connection") == "close")
            #expect(metrics.hitsBelowRouter.load(ordering: .relaxed) == 1, "the router answered all four")
        }
    }

    /// A write drops the answer for the hit path as for the router: the read after a cancel is a miss
    /// with the new status, and only the read after that is a hit below the router again.
    @Test func noHitAfterAWriteInvalidatedTheAnswer() async throws {
        let metrics = GatewayMetrics()
        try await LiveStack.run(metrics: metrics, config: HitPath.config()) { _, client in
            let read = "/v1/instances/geo:591847302948571634"
            var connection = try await RawConnection.connect(port: try #require(client.port))
            let cancel =
                HitPath.request(
                    read + "/cancel", method: "POST", extra: ["Content-Type: application/json", "Content-Length: 2"]
                ) + "{}"
            let answers = try await HitPath.oneByOne(
                [HitPath.request(read), HitPath.request(read), cancel, HitPath.request(read), HitPath.request(read)], on: &connection, already: 0
            )
            #expect(answers.map(\.statusLine) == Array(repeating: "HTTP/1.1 200 OK", count: 5))
            #expect(answers.map { $0.header("x-cache") } == ["MISS", "HIT", nil, "MISS", "HIT"])
            #expect(answers[3].body.contains("\"status\":\"cancelled\""), "no stale running status after the cancel")
            #expect(metrics.hitsBelowRouter.load(ordering: .relaxed) == 2, "the second and the last read")
            await connection.close()
        }
    }

    /// The hit path spends from the key's inbound bucket; a caller over it gets the router's `429`.
    @Test func hitsSpendTheInboundRate() async throws {
        // Burst 2, one per second: the miss and the hit below the router take both tokens.
        try await Self.primed(rwKeyRate: "{per_second: 0.01, burst: 2}") { connection, metrics in
            let answers = try await HitPath.oneByOne([HitPath.request(HitPath.workingflow)], on: &connection, already: 2)
            #expect(answers.map(\.statusLine) == ["HTTP/1.1 429 Too Many Requests"])
            #expect(answers.first?.header("retry-after") != nil)
            #expect(metrics.hitsBelowRouter.load(ordering: .relaxed) == 1)
        }
    }
}
