import FlowgateEmulators
import Foundation
import HummingbirdTesting
import Synchronization
import Testing

@testable import FlowgateServer

/// Pipelined requests are answered in the order they came, whichever path answers each: the hit path
/// takes a request only when nothing earlier on the connection is still with the router.
@Suite struct HitPathOrderTests {
    @Test func aHitBehindASlowMissWaitsItsTurn() async throws {
        let metrics = GatewayMetrics()
        try await LiveStack.run(metrics: metrics, config: HitPath.config()) { stack, client in
            var connection = try await RawConnection.connect(port: try #require(client.port))
            // Primed, and the key verified: the next read of wf:50100 is a hit below the router.
            _ = try await HitPath.oneByOne([HitPath.request(HitPath.workingflow), HitPath.request(HitPath.workingflow)], on: &connection, already: 0)
            #expect(metrics.hitsBelowRouter.load(ordering: .relaxed) == 1)

            // A miss held 300 ms upstream, then two hits, then another miss and a hit, in one write.
            stack.emulator("workingflow").faults.add(Fault(.latency(.milliseconds(300)), pathPrefix: "/processapi/50110/status", count: 1))
            let ids = ["slow-miss", "hit-1", "hit-2", "miss-2", "hit-3"]
            let targets = ["/v1/instances/wf:50110", HitPath.workingflow, HitPath.workingflow, "/v1/instances/wf:50120", HitPath.workingflow]
            try await connection.send(zip(targets, ids).map { HitPath.request($0, id: $1) }.joined())
            let answers = await HitPath.read(7, from: &connection).dropFirst(2).map(\.response)
            #expect(answers.map { $0.header("x-request-id") } == ids, "answers in the order of the requests")
            #expect(answers.map { $0.header("x-cache") } == ["MISS", "HIT", "HIT", "MISS", "HIT"])
            #expect(answers[0].body.contains("\"id\":\"wf:50110\"") && answers[3].body.contains("\"id\":\"wf:50120\""))
            #expect(answers[1].body.contains("\"id\":\"wf:50100\""))
            #expect(metrics.hitsBelowRouter.load(ordering: .relaxed) == 1, "each hit arrived behind a request still with the router")

            // Alone again: hits below the router, each answered before the next is read.
            try await connection.send(HitPath.request(HitPath.workingflow, id: "alone"))
            #expect(await HitPath.read(8, from: &connection).last?.response.header("x-request-id") == "alone")
            #expect(metrics.hitsBelowRouter.load(ordering: .relaxed) == 2)
            await connection.close()
        }
    }

    /// Two hits pipelined on a quiet connection are both answered below the router, in order, and a
    /// `HEAD` after them still gets an answer without a body (NIO's encoder knows which answer is whose).
    @Test func pipelinedHitsThenAHeadKeepTheirFraming() async throws {
        let metrics = GatewayMetrics()
        try await LiveStack.run(metrics: metrics, config: HitPath.config()) { _, client in
            var connection = try await RawConnection.connect(port: try #require(client.port))
            _ = try await HitPath.oneByOne([HitPath.request(HitPath.workingflow)], on: &connection, already: 0)
            try await connection.send(
                HitPath.request(HitPath.workingflow, id: "h1") + HitPath.request(HitPath.workingflow, id: "h2")
                    + HitPath.request("/v1/instances/wf:50100", method: "HEAD") + HitPath.request("/healthz", id: "after")
            )
            let answers = await HitPath.read(5, from: &connection, headAt: [3]).map(\.response)
            try #require(answers.count == 5, "\(connection.received.debugDescription)")
            #expect(answers.dropFirst().map { $0.header("x-request-id") ?? "" }.prefix(2) == ["h1", "h2"])
            #expect(metrics.hitsBelowRouter.load(ordering: .relaxed) == 2)
            #expect(answers[3].statusLine == "HTTP/1.1 405 Method Not Allowed")
            #expect(answers[4].statusLine == "HTTP/1.1 200 OK" && answers[4].header("x-request-id") == "after", "no body after the HEAD answer")
            await connection.close()
        }
    }
}
