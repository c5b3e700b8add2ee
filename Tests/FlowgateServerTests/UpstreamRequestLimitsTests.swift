import AsyncHTTPClient
import FlowgateCore
import FlowgateEmulators
import FlowgateProviders
import Logging
import NIOHTTP1
import Testing

@testable import FlowgateServer

/// The 8 KiB caps on what reaches the upstream client: the pure check, and the transport refusing
/// before a byte is sent.
struct UpstreamRequestLimitsTests {
    @Test(arguments: [
        ("http://h:1/a/b?c=d", 8), ("http://h:1", 1), ("http://h:1?x=1", 4), ("https://h/client/v4/x", 12), ("http://[::1]:8/p", 2), ("", 1),
        ("h:", 1), ("/p", 2), ("a://", 1),
    ])
    func targetIsEverythingAfterTheAuthority(url: String, bytes: Int) {
        #expect(UpstreamRequestLimits.targetBytes(of: url) == bytes)
    }

    @Test func capsTargetAndHeadersAt8KiB() {
        let base = "http://127.0.0.1:1/"
        #expect(UpstreamRequestLimits.violation(url: base + String(repeating: "a", count: 8191), headers: [:]) == nil)
        #expect(UpstreamRequestLimits.violation(url: base + String(repeating: "a", count: 8192), headers: [:]) == .target(bytes: 8193))
        // "X: " + value + CRLF: 4 bytes of framing and the name around each value.
        let fits = HTTPHeaders([("X", String(repeating: "v", count: 8192 - 5))])
        #expect(UpstreamRequestLimits.violation(url: base, headers: fits) == nil)
        let over = HTTPHeaders([("X", String(repeating: "v", count: 8192 - 4))])
        #expect(UpstreamRequestLimits.violation(url: base, headers: over) == .headers(bytes: 8193))
    }

    /// A call over the cap never reaches the upstream: `414` for the target, `502` for the headers,
    /// no token drawn, nothing received; a call under it goes through.
    @Test func theTransportRefusesBeforeSending() async throws {
        let emulator = WorkingflowEmulator()
        try await LiveStack.withEmulator(emulator) { port in
            let yaml = """
                server: {host: 127.0.0.1, port: 0, cursor_secret: \(TestKeys.cursorSecret)}
                tenants:
                  - name: acme
                    keys: [{id: rw, hash: "\(KeyHash.configString(of: TestKeys.acmeReadWrite))", scopes: [read]}]
                    connections:
                      - {name: wf, provider: workingflow, base_url: "http://127.0.0.1:\(port)", credentials: {api_key: \(LiveStack.Demo.workingflowKey)}}
                """
            let config = try ConfigLoader(references: SecretReferences(environment: [:])).parse(yaml: yaml)
            let services = try GatewayServices.make(
                config: config, logger: Logger(label: "t"), metrics: GatewayMetrics(), readiness: Readiness(), clock: SystemClock())
            let transport = try services.current.adapters.endpoint(tenant: "acme", connection: "wf").transport
            do {
                let long = UpstreamCall(
                    route: "get_instance", method: "GET", path: "/" + String(repeating: "a", count: 9000), bucket: "default", isRead: true)
                let error = try await #require(throws: GatewayError.self) { try await transport.send(long) }
                #expect(error.code == .uriTooLong)
                #expect(error.connection == "wf")
                var heavy = UpstreamCall(route: "get_instance", method: "GET", path: "/processapi/50100/status", bucket: "default", isRead: true)
                heavy.addHeader("X-Padding", String(repeating: "p", count: 9000))
                #expect(try await #require(throws: GatewayError.self) { try await transport.send(heavy) }.code == .upstreamError)
                #expect(emulator.recorder.count == 0, "nothing was sent")
                var fine = UpstreamCall(route: "get_instance", method: "GET", path: "/processapi/50100/status", bucket: "default", isRead: true)
                fine.addHeader("Authorization", "Bearer \(LiveStack.Demo.workingflowKey)")
                #expect(try await transport.send(fine).status == 200)
                #expect(emulator.recorder.count == 1)
            } catch {
                try await services.upstream.client.shutdown()
                throw error
            }
            try await services.upstream.client.shutdown()
        }
    }
}
