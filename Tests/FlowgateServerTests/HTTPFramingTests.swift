import FlowgateServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import InMemoryLogging
import Logging
import NIOCore
import Testing

/// Requests no HTTP client sends, over raw TCP against the real server: each gets a framed answer in
/// the canonical envelope (or a clean close), never a 500 or an error-level log line, and the server
/// keeps serving.
@Suite struct HTTPFramingTests {
    static let key = TestKeys.acmeReadWrite

    /// Runs `body` against a gateway on a real socket, then checks the log for error lines and that a
    /// fresh connection is still served.
    private func withServer(_ body: @Sendable (Int) async throws -> Void) async throws {
        let logs = InMemoryLogHandler()
        var logger = Logger(label: "flowgate", factory: { _ in logs })
        logger.logLevel = .trace
        try await TestGateway.app(logger: logger).test(.live) { client in
            let port = try #require(client.port)
            try await body(port)
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok, "the server still serves")
            }
        }
        let errors = logs.entries.filter { $0.level >= .error }
        #expect(errors.isEmpty, "error-level log lines: \(errors.map { "\($0.message)" })")
    }

    /// Sends `request`, reads to the server's close, and returns the first response and whether the
    /// connection closed.
    private func exchange(_ port: Int, _ request: String, halfClose: Bool = false) async throws -> (RawResponse, closed: Bool) {
        var connection = try await RawConnection.connect(port: port)
        try await connection.send(request)
        if halfClose { try await connection.closeOutput() }
        let (text, closed) = await connection.readToEOF()
        await connection.close()
        return (try #require(RawResponse(text), "no complete response in: \(text)"), closed)
    }

    /// The canonical envelope of a raw response, checked against its headers.
    private func envelope(_ response: RawResponse, code: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let document = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
        let error = try #require(document?["error"] as? [String: Any], "not an envelope: \(response.body)", sourceLocation: sourceLocation)
        #expect(error["code"] as? String == code, sourceLocation: sourceLocation)
        #expect(error["request_id"] as? String == response.header("x-request-id"), sourceLocation: sourceLocation)
        #expect(error.keys.count == 10, "every envelope field is present", sourceLocation: sourceLocation)
        #expect(response.header("content-length") == String(response.body.utf8.count), sourceLocation: sourceLocation)
    }

    @Test func chunkSizeOverflowIs400() async throws {
        try await withServer { port in
            let request =
                "POST /v1/instances HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer \(Self.key)\r\nTransfer-Encoding: chunked\r\n\r\n1ffffffffffffffff\r\nab\r\n"
            let (response, closed) = try await exchange(port, request)
            #expect(response.statusLine.hasPrefix("HTTP/1.1 400"))
            try envelope(response, code: "INVALID_REQUEST")
            #expect(response.header("connection") == "close")
            #expect(closed)
        }
    }

    @Test func bodyShorterThanItsLengthThenHalfCloseIs400() async throws {
        try await withServer { port in
            let request = "POST /v1/instances HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer \(Self.key)\r\nContent-Length: 100\r\n\r\n{\"a\":1}"
            let (response, closed) = try await exchange(port, request, halfClose: true)
            #expect(response.statusLine.hasPrefix("HTTP/1.1 400"))
            try envelope(response, code: "INVALID_REQUEST")
            #expect(closed)
        }
    }

    /// Refused before its body is read (no key), then the body breaks: one answer, then the close —
    /// not a second, unframed `400` behind it.
    @Test func aBodyThatBreaksAfterTheAnswerGetsNoSecondAnswer() async throws {
        try await withServer { port in
            var connection = try await RawConnection.connect(port: port)
            try await connection.send("POST /v1/instances HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
            let (text, closed) = await connection.readToEOF()
            await connection.close()
            #expect(text.components(separatedBy: "HTTP/1.1 ").count == 2, "exactly one answer: \(text)")
            #expect(text.hasPrefix("HTTP/1.1 401") || text.hasPrefix("HTTP/1.1 400"))
            #expect(closed)
        }
    }

    @Test func garbageInsteadOfARequestIs400() async throws {
        try await withServer { port in
            let (response, closed) = try await exchange(port, "HELLO THERE\r\n\r\n")
            #expect(response.statusLine.hasPrefix("HTTP/1.1 400"))
            try envelope(response, code: "INVALID_REQUEST")
            #expect(closed)
        }
    }

    @Test func http10IsAnsweredIn10AndClosed() async throws {
        try await withServer { port in
            let (response, closed) = try await exchange(port, "GET /healthz HTTP/1.0\r\n\r\n")
            #expect(response.statusLine.hasPrefix("HTTP/1.0 200"))
            #expect(response.header("connection") == "close")
            #expect(closed, "the connection closes after the answer")
        }
    }

    @Test(arguments: ["close", "Close", "keep-alive, CLOSE"])
    func connectionCloseClosesAfterTheAnswer(value: String) async throws {
        try await withServer { port in
            let (response, closed) = try await exchange(port, "GET /healthz HTTP/1.1\r\nHost: gw\r\nConnection: \(value)\r\n\r\n")
            #expect(response.statusLine.hasPrefix("HTTP/1.1 200"))
            #expect(response.header("connection") == "close")
            #expect(closed)
        }
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() async throws {
        try await withServer { port in
            var connection = try await RawConnection.connect(port: port)
            for round in 1...3 {
                try await connection.send("GET /healthz HTTP/1.1\r\nHost: gw\r\n\r\n")
                let text = await connection.read(until: { $0.components(separatedBy: "HTTP/1.1 200").count > round })
                #expect(text.components(separatedBy: "HTTP/1.1 200").count == round + 1)
                #expect(!connection.sawEOF)
            }
            await connection.close()
        }
    }

    @Test(arguments: [
        ("GET /healthz HTTP/1.1\r\n\r\n", "no Host"),
        ("GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "two Hosts"),
        ("GET /healthz HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n", "two Hosts in 1.0"),
        ("GET http://other.example/healthz HTTP/1.1\r\nHost: other.example\r\n\r\n", "absolute form"),
        ("GET other.example:80 HTTP/1.1\r\nHost: other.example\r\n\r\n", "authority form"),
    ])
    func refusedHeadsAre400(request: String, what: String) async throws {
        try await withServer { port in
            let (response, closed) = try await exchange(port, request)
            #expect(response.statusLine.hasPrefix("HTTP/1.1 400"), "\(what)")
            try envelope(response, code: "INVALID_REQUEST")
            #expect(closed)
        }
    }

    @Test func connectIsAFramed405() async throws {
        try await withServer { port in
            let (response, closed) = try await exchange(port, "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
            #expect(response.statusLine.hasPrefix("HTTP/1.1 405"))
            try envelope(response, code: "METHOD_NOT_ALLOWED")
            // Every method some route serves: the canonical GET and POST, and the native passthrough's others.
            #expect(response.header("allow") == "GET, POST, HEAD, PUT, PATCH, DELETE")
            #expect(closed)
        }
    }

    @Test func http10WithoutHostIsServed() async throws {
        try await withServer { port in
            let (response, _) = try await exchange(port, "GET /healthz HTTP/1.0\r\n\r\n")
            #expect(response.statusLine.hasPrefix("HTTP/1.0 200"))
        }
    }

    /// A refusal pipelined behind a good request waits for that request's answer.
    @Test func aPipelinedRefusalFollowsTheEarlierAnswer() async throws {
        try await withServer { port in
            var connection = try await RawConnection.connect(port: port)
            try await connection.send("GET /healthz HTTP/1.1\r\nHost: gw\r\n\r\nCONNECT a:1 HTTP/1.1\r\nHost: a:1\r\n\r\n")
            let (text, closed) = await connection.readToEOF()
            await connection.close()
            let first = try #require(text.range(of: "HTTP/1.1 200"))
            let second = try #require(text.range(of: "HTTP/1.1 405"))
            #expect(first.lowerBound < second.lowerBound)
            #expect(closed)
        }
    }
}
