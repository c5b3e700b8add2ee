import FlowgateCore
import NIOCore
import NIOHTTP1
import Testing

@testable import FlowgateServer

/// The head rules of ``RequestHeadCheck`` on their own; `HTTPFramingTests` runs them over sockets.
struct RequestHeadCheckTests {
    private func head(
        _ method: HTTPMethod = .GET, _ uri: String = "/healthz", _ version: HTTPVersion = .http1_1, headers: [(String, String)]
    )
        -> HTTPRequestHead
    {
        HTTPRequestHead(version: version, method: method, uri: uri, headers: HTTPHeaders(headers))
    }

    @Test func acceptsOrdinaryRequests() {
        #expect(RequestHeadCheck.refusal(of: head(headers: [("Host", "gw")]), allowedMethods: "GET") == nil)
        #expect(RequestHeadCheck.refusal(of: head(.GET, "/", .http1_0, headers: []), allowedMethods: "GET") == nil, "HTTP/1.0 needs no Host")
        #expect(RequestHeadCheck.refusal(of: head(.OPTIONS, "*", .http1_1, headers: [("Host", "gw")]), allowedMethods: "GET") == nil)
    }

    @Test func refusesWhatRFC9112AndAProxyNeverSeeFromAClient() throws {
        let connect = try #require(
            RequestHeadCheck.refusal(of: head(.CONNECT, "a:443", .http1_1, headers: [("Host", "a:443")]), allowedMethods: "GET, POST"))
        #expect(connect.error.code == .methodNotAllowed)
        #expect(connect.headers.map(\.value) == ["GET, POST"])
        for refused in [
            head(headers: []), head(headers: [("Host", "a"), ("host", "b")]), head(.GET, "/", .http1_0, headers: [("Host", "a"), ("Host", "a")]),
            head(.GET, "http://x/healthz", .http1_1, headers: [("Host", "x")]), head(.GET, "x:80", .http1_1, headers: [("Host", "x")]),
        ] {
            #expect(RequestHeadCheck.refusal(of: refused, allowedMethods: "GET")?.error.code == .invalidRequest)
        }
    }

    @Test func knowsWhenAnAnswerClosesTheConnection() {
        #expect(RequestHeadCheck.closesAfterAnswer(head(.GET, "/", .http1_0, headers: [])))
        #expect(RequestHeadCheck.closesAfterAnswer(head(.GET, "/", .http1_0, headers: [("Connection", "keep-alive")])))
        #expect(RequestHeadCheck.closesAfterAnswer(head(headers: [("Host", "a"), ("Connection", "Close")])))
        #expect(!RequestHeadCheck.closesAfterAnswer(head(headers: [("Host", "a")])))
    }

    @Test func refusalBytesAreAFramedEnvelope() throws {
        let refusal = try #require(RequestHeadCheck.refusal(of: head(.CONNECT, "a:1", .http1_1, headers: [("Host", "a:1")]), allowedMethods: "GET"))
        let text = String(buffer: RefusalResponse.bytes(refusal, requestID: "rid-1"))
        let response = try #require(RawResponse(text))
        #expect(response.statusLine == "HTTP/1.1 405 Method Not Allowed")
        #expect(response.header("content-length") == String(response.body.utf8.count))
        #expect(response.header("connection") == "close")
        #expect(response.header("x-request-id") == "rid-1")
        #expect(response.body.contains(#""request_id":"rid-1""#))
    }
}
