import AsyncHTTPClient
import FlowgateEmulators
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Testing

/// The fault switches every emulator inherits, exercised on a minimal emulator over real sockets.
struct FaultInjectionTests {
    /// Just enough of an upstream: one JSON route and its own error envelope.
    final class EchoEmulator: Emulator {
        let name = "echo"
        let recorder = RequestRecorder()
        let faults = FaultInjector()
        let variants = EmulatorVariants([])

        func addRoutes(to router: Router<EmulatorRequestContext>) {
            router.get("/items") { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: #"{"items":[1,2,3,4,5,6,7,8]}"#)))
            }
        }

        func errorResponse(status: Int, code: String) -> Response {
            Response(status: .init(code: status), body: .init(byteBuffer: ByteBuffer(string: #"{"echo_error":"\#(code)"}"#)))
        }
    }

    private func withEmulator(_ body: @escaping @Sendable (EchoEmulator, HTTPClient, String) async throws -> Void) async throws {
        let emulator = EchoEmulator()
        try await emulator.makeApplication(port: 0).test(.live) { client in
            let port = try #require(client.port)
            let http = HTTPClient()
            do {
                try await body(emulator, http, "http://127.0.0.1:\(port)")
            } catch {
                try await http.shutdown()
                throw error
            }
            try await http.shutdown()
        }
    }

    private func get(_ http: HTTPClient, _ url: String) async throws -> (Int, String, Int) {
        let response = try await http.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
        var body = ""
        var pieces = 0
        for try await buffer in response.body {
            body += String(buffer: buffer)
            pieces += 1
        }
        return (Int(response.status.code), body, pieces)
    }

    @Test func forcedErrorsUseTheEmulatorsEnvelopeAndCountDown() async throws {
        try await withEmulator { emulator, http, base in
            emulator.faults.add(Fault(.error(status: 503, code: "DOWN"), count: 2))
            let status1 = try await get(http, "\(base)/items").0
            #expect(status1 == 503)
            let (status, body, _) = try await get(http, "\(base)/items")
            #expect(status == 503)
            #expect(body == #"{"echo_error":"DOWN"}"#)
            let status2 = try await get(http, "\(base)/items").0
            #expect(status2 == 200, "used up after two requests")
        }
    }

    @Test func faultsCanBeScopedToAPath() async throws {
        try await withEmulator { emulator, http, base in
            emulator.faults.add(Fault(.error(status: 500, code: "X"), pathPrefix: "/other"))
            let status3 = try await get(http, "\(base)/items").0
            #expect(status3 == 200)
        }
    }

    @Test func latencyDelaysTheAnswer() async throws {
        try await withEmulator { emulator, http, base in
            emulator.faults.add(Fault(.latency(.milliseconds(300))))
            let start = ContinuousClock.now
            let status4 = try await get(http, "\(base)/items").0
            #expect(status4 == 200)
            // A lower bound only: sleeping guarantees at least this much, however busy the machine.
            #expect(ContinuousClock.now - start >= .milliseconds(300))
        }
    }

    @Test func resetAbortsTheConnectionWithoutAnAnswer() async throws {
        try await withEmulator { emulator, http, base in
            emulator.faults.add(Fault(.reset, count: 1))
            await #expect(throws: (any Error).self) { _ = try await get(http, "\(base)/items") }
            let status5 = try await get(http, "\(base)/items").0
            #expect(status5 == 200, "the next connection is fine")
        }
    }

    @Test func slowBodyTricklesTheSameBytes() async throws {
        try await withEmulator { emulator, http, base in
            emulator.faults.add(Fault(.slowBody(chunkBytes: 5, interval: .milliseconds(30))))
            let (status, body, pieces) = try await get(http, "\(base)/items")
            #expect(status == 200)
            #expect(body == #"{"items":[1,2,3,4,5,6,7,8]}"#)
            #expect(pieces > 1, "arrived in several pieces")
        }
    }

    @Test func hugeBodyIsValidJSONOfTheAskedSize() async throws {
        try await withEmulator { emulator, http, base in
            emulator.faults.add(Fault(.hugeBody(bytes: 3_000_000)))
            let (status, body, _) = try await get(http, "\(base)/items")
            #expect(status == 200)
            #expect(body.utf8.count == 3_000_000)
            #expect((try? JSONSerialization.jsonObject(with: Data(body.utf8))) != nil)
        }
    }

    @Test func controlRoutesSwitchFaultsAndListRequests() async throws {
        try await withEmulator { emulator, http, base in
            var add = HTTPClientRequest(url: "\(base)/_emulator/faults")
            add.method = .POST
            add.body = .bytes(ByteBuffer(string: #"{"kind":"error","status":429,"code":"SLOW_DOWN","path_prefix":"/items"}"#))
            #expect(try await http.execute(add, timeout: .seconds(5)).status.code == 201)
            let status6 = try await get(http, "\(base)/items").0
            #expect(status6 == 429)
            let status7 = try await get(http, "\(base)/_emulator/faults").0
            #expect(status7 == 200, "control routes are never faulted")

            var clear = HTTPClientRequest(url: "\(base)/_emulator/faults")
            clear.method = .DELETE
            #expect(try await http.execute(clear, timeout: .seconds(5)).status.code == 204)
            let status8 = try await get(http, "\(base)/items").0
            #expect(status8 == 200)

            let (_, listed, _) = try await get(http, "\(base)/_emulator/requests")
            #expect(listed.components(separatedBy: #""path":"\/items""#).count - 1 == 2, "two upstream calls recorded, control calls not: \(listed)")
            #expect(emulator.recorder.count == 2)
        }
    }

    @Test func unknownFaultSpecIsRefused() async throws {
        try await withEmulator { _, http, base in
            var add = HTTPClientRequest(url: "\(base)/_emulator/faults")
            add.method = .POST
            add.body = .bytes(ByteBuffer(string: #"{"kind":"meteor"}"#))
            let refused = try await http.execute(add, timeout: .seconds(5))
            #expect(refused.status.code == 400)
        }
    }
}
