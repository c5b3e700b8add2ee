import AsyncHTTPClient
import FlowgateServer
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing

/// SIGTERM's path, driven by hand: readiness turns 503 while the server still serves, and a request
/// already in flight is answered before the process lets go.
struct GracefulShutdownTests {
    @Test func inFlightRequestsFinishAndReadinessTurnsFirst() async throws {
        var config = try TestGateway.config()
        config.server.shutdownDelay = .milliseconds(500)
        config.server.drainTimeout = .seconds(10)
        let port = Mutex<Int?>(nil)
        let group = try GatewayServer.makeServiceGroup(
            config: config, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
            onServerRunning: { bound in port.withLock { $0 = bound } }
        )
        let httpClient = HTTPClient()
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

            await group.triggerGracefulShutdown()
            try await Task.sleep(for: .milliseconds(100))
            let ready = try await httpClient.execute(HTTPClientRequest(url: "\(base)/readyz"), timeout: .seconds(5))
            #expect(ready.status.code == 503, "draining is announced while the server still answers")

            // Past the delay: the server has stopped accepting and is draining; the request is still open.
            try await Task.sleep(for: .milliseconds(700))
            // Geotareas takes no input: the answer is the adapter's own 400, with no upstream to reach.
            body.yield(ByteBuffer(string: #""geo:1", "input": {"x": 1}}"#))
            body.finish()
            let response = try await inFlight.value
            #expect(response.status.code == 400, "the in-flight request got its real answer")
            try await tasks.waitForAll()
        }
        try await httpClient.shutdown()
    }
}
