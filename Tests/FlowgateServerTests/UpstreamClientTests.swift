import AsyncHTTPClient
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import FlowgateServer

/// The upstream client against a real loopback server: whole-answer deadlines, no redirects, bounded
/// bodies, and a clear failure for a refused connection.
struct UpstreamClientTests {
    private static func upstreamApp() -> some ApplicationProtocol {
        let router = Router()
        router.get("/ok") { _, _ in "fine" }
        router.get("/redirect") { _, _ in Response(status: .found, headers: [.location: "http://127.0.0.1:9/elsewhere"]) }
        router.get("/big") { _, _ in String(repeating: "x", count: 10_000) }
        // The head arrives at once; the body stalls — AsyncHTTPClient's own deadline would not fire.
        router.get("/stall") { _, _ in
            Response(
                status: .ok,
                body: .init { writer in
                    try await writer.write(ByteBuffer(string: "partial"))
                    try await Task.sleep(for: .seconds(2))
                    try await writer.write(ByteBuffer(string: "rest"))
                    try await writer.finish(nil)
                }
            )
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    private static func withClient(_ body: @escaping @Sendable (UpstreamClient, Int) async throws -> Void) async throws {
        try await upstreamApp().test(.live) { server in
            let client = UpstreamClient(settings: ServerSettings(), logger: Logger(label: "test"))
            do {
                try await body(client, try #require(server.port))
            } catch {
                try await client.client.shutdown()
                throw error
            }
            try await client.client.shutdown()
        }
    }

    @Test func collectsAWholeAnswer() async throws {
        try await Self.withClient { client, port in
            let answer = try await client.fetch(
                .init(url: "http://127.0.0.1:\(port)/ok"), timeout: .seconds(5), maxBodyBytes: 100, logger: Logger(label: "t"))
            #expect(answer.status == 200)
            #expect(String(buffer: answer.body) == "fine")
        }
    }

    @Test func aStalledBodyTimesOutAtTheDeadline() async throws {
        try await Self.withClient { client, port in
            // Were the deadline on the head only, this would succeed after 2 s with the whole body.
            await #expect(throws: UpstreamClient.Failure.timeout) {
                _ = try await client.fetch(
                    .init(url: "http://127.0.0.1:\(port)/stall"), timeout: .milliseconds(300), maxBodyBytes: 1000, logger: Logger(label: "t")
                )
            }
        }
    }

    @Test func redirectsAreReturnedNotFollowed() async throws {
        try await Self.withClient { client, port in
            let answer = try await client.fetch(
                .init(url: "http://127.0.0.1:\(port)/redirect"), timeout: .seconds(5), maxBodyBytes: 100, logger: Logger(label: "t")
            )
            #expect(answer.status == 302)
        }
    }

    @Test func oversizeBodiesFail() async throws {
        try await Self.withClient { client, port in
            await #expect(throws: UpstreamClient.Failure.bodyTooLarge) {
                _ = try await client.fetch(
                    .init(url: "http://127.0.0.1:\(port)/big"), timeout: .seconds(5), maxBodyBytes: 100, logger: Logger(label: "t"))
            }
        }
    }

    @Test func aRefusedConnectionIsAConnectFailure() async throws {
        try await Self.withClient { client, _ in
            // Port 9 (discard) is closed on loopback in every environment this runs in.
            await #expect(throws: UpstreamClient.Failure.connect) {
                _ = try await client.fetch(.init(url: "http://127.0.0.1:9/x"), timeout: .seconds(5), maxBodyBytes: 100, logger: Logger(label: "t"))
            }
        }
    }
}
