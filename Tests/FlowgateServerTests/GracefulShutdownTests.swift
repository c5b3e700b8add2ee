import AsyncHTTPClient
import FlowgateServer
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization
import Testing

/// SIGTERM's path, driven by hand: readiness turns 503 while the server still serves, and a request
/// already in flight is answered before the process lets go.
struct GracefulShutdownTests {
    @Test func inFlightRequestsFinishAndReadinessTurnsFirst() async throws {
        var config = try TestGateway.config()
        // Long enough that a machine loaded by the cluster tests still flips readiness inside it.
        config.server.shutdownDelay = .seconds(5)
        config.server.drainTimeout = .seconds(10)
        let port = Mutex<Int?>(nil)
        let group = try GatewayServer.makeServiceGroup(
            config: config, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
            onServerRunning: { bound in port.withLock { $0 = bound } }
        )
        try await withHTTPClient { httpClient in
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                var bound: Int?
                while bound == nil {
                    try await Task.sleep(for: .milliseconds(20))
                    bound = port.withLock { $0 }
                }
                let base = "http://127.0.0.1:\(bound ?? 0)"

                // A start whose body trickles in: in flight when the shutdown begins.
                let (stream, body) = AsyncStream.makeStream(of: ByteBuffer.self)
                var start = HTTPClientRequest(url: "\(base)/v1/instances")
                start.method = .POST
                start.headers.add(name: "Authorization", value: "Bearer \(TestKeys.acmeReadWrite)")
                start.body = .stream(stream, length: .unknown)
                let inFlight = Task { try await httpClient.execute(start, timeout: .seconds(10)) }
                body.yield(ByteBuffer(string: #"{"definition": "#))
                try await Task.sleep(for: .milliseconds(100))

                let triggered = ContinuousClock.now
                await group.triggerGracefulShutdown()
                // Readiness flips as soon as the shutdown reaches it; a loaded machine may take a moment.
                var readyStatus: UInt = 0
                while ContinuousClock.now - triggered < .milliseconds(4000) {
                    let ready = try await httpClient.execute(HTTPClientRequest(url: "\(base)/readyz"), timeout: .seconds(5))
                    readyStatus = ready.status.code
                    if readyStatus == 503 { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(readyStatus == 503, "draining is announced while the server still answers")

                // Past the delay: the server has stopped accepting and is draining; the request is still open.
                try await Task.sleep(until: triggered + .milliseconds(5300))
                body.yield(ByteBuffer(string: #""wf:expense"}"#))
                body.finish()
                let response = try await inFlight.value
                // The test upstreams are unreachable: the real answer of a start is 503 UPSTREAM_UNAVAILABLE.
                #expect(response.status.code == 503, "the in-flight request got its real answer")
                try await tasks.waitForAll()
            }
        }
    }
}
