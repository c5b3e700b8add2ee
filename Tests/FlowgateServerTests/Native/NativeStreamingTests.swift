import AsyncHTTPClient
import FlowgateEmulators
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// A 100 MiB Workingflow file through the native route: bytes as the upstream sent them, in bounded
/// memory (never collected), with the upstream's own headers.
@Suite struct NativeStreamingTests {
    @Test func aHundredMebibyteFileStreamsThroughTheNativeRoute() async throws {
        try await LiveStack.run { _, client in
            let port = try #require(client.port)
            try await expectTheSurveyFileStreams(
                from: "http://127.0.0.1:\(port)/v1/connections/wf/native/processapi/50150/files/e5b7a9d2_drone-survey.bin", key: TestKeys.acmeNative
            )
        }
    }
}

/// Bounded memory, measured where it is decided: an upstream that counts what it has produced, read by
/// a client that counts what it has received. The gateway in between holds only what backpressure lets
/// be in flight (socket and channel buffers); had it collected the answer, the client's first byte would
/// come only after all 256 MiB were produced. Unlike the process's resident memory, this does not
/// depend on what other tests allocate meanwhile. It does depend on the consumer getting the CPU: a
/// starved client lets kernel buffers fill, so it runs alone (`FLOWGATE_LOAD_TESTS=1`, as `.ci/run` does).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["FLOWGATE_LOAD_TESTS"] == "1", "set FLOWGATE_LOAD_TESTS=1 (.ci/run does)"))
struct NativeBackpressureTests {
    static let size = 256 * 1024 * 1024
    static let chunk = ByteBuffer(repeating: 0x5A, count: 64 * 1024)

    @Test func theGatewayHoldsOnlyAWindowOfAStreamedAnswer() async throws {
        let produced = Atomic<Int>(0)
        let upstream: @Sendable (Request) -> Response = { _ in
            let headers: HTTPFields = [.contentType: "application/octet-stream", .setCookie: "upstream-session=1", .init("Keep-Alive")!: "timeout=5"]
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody(contentLength: Self.size) { writer in
                    for _ in 0..<(Self.size / Self.chunk.readableBytes) {
                        produced.add(Self.chunk.readableBytes, ordering: .relaxed)
                        try await writer.write(Self.chunk)
                    }
                    try await writer.finish(nil)
                }
            )
        }
        try await GeoB24.withFakeUpstream(upstream) { upstreamPort in
            let config: @Sendable (LiveStack) -> String = { stack in
                stack.configYAML(
                    extraConnections: """
                              - name: wfbig
                                provider: workingflow
                                base_url: http://127.0.0.1:\(upstreamPort)
                                credentials: {api_key: wf_big_0000}
                        """)
            }
            try await LiveStack.run(config: config) { _, client in
                let port = try #require(client.port)
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/connections/wfbig/native/processapi/1/files/big.bin")
                request.headers.add(name: "Authorization", value: "Bearer \(TestKeys.acmeNative)")
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(300))
                #expect(response.status.code == 200)
                #expect(
                    response.headers["Set-Cookie"].isEmpty && response.headers["Keep-Alive"].isEmpty,
                    "the upstream's cookie and hop-by-hop headers stay")
                #expect(response.headers.first(name: "Content-Length") == String(Self.size))
                var received = 0
                var aheadAtMost = 0
                for try await buffer in response.body {
                    received += buffer.readableBytes
                    aheadAtMost = max(aheadAtMost, produced.load(ordering: .relaxed) - received)
                }
                #expect(received == Self.size)
                // What may be in flight is mostly the kernel's: two loopback hops whose receive buffers grow to
                // `tcp_rmem`'s maximum (32 MiB here) plus send buffers; measured 46–62 MiB. Collected, it would be all 256.
                print("native backpressure: ahead at most \(aheadAtMost >> 20) MiB")
                #expect(aheadAtMost < 128 * 1024 * 1024, "the upstream was at most \(aheadAtMost >> 20) MiB ahead of the client")
            }
        }
    }
}
