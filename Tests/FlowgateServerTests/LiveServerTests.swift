import AsyncHTTPClient
import FlowgateServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Testing

/// What only a real socket shows: streamed bodies without a length, long request lines, shutdown.
struct LiveServerTests {
    @Test func aChunkedBodyOverTheLimitIs413() async throws {
        try await TestGateway.app(maxBodyBytes: 256).test(.live) { client in
            let port = try #require(client.port)
            try await withHTTPClient { httpClient in
                var request = HTTPClientRequest(url: "http://localhost:\(port)/v1/instances")
                request.method = .POST
                request.headers.add(name: "Authorization", value: "Bearer \(TestKeys.acmeReadWrite)")
                // No Content-Length: the limit must hold while the body is read.
                let chunks = (0..<20).map { _ in ByteBuffer(string: String(repeating: "x", count: 100)) }
                request.body = .stream(chunks.async, length: .unknown)
                let response = try await httpClient.execute(request, timeout: .seconds(10))
                #expect(response.status.code == 413)
                let body = String(buffer: try await response.body.collect(upTo: 10_000))
                #expect(body.contains(#""code":"PAYLOAD_TOO_LARGE""#))
            }
        }
    }

    @Test func concurrentCallersEachGetTheirOwnAnswer() async throws {
        try await TestGateway.app().test(.live) { client in
            let port = try #require(client.port)
            // Each caller waits for logins to an unreachable upstream: a connection per caller, and time.
            var configuration = HTTPClient.Configuration()
            configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 50)
            try await withHTTPClient(configuration) { httpClient in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<50 {
                        group.addTask {
                            var request = HTTPClientRequest(url: "http://localhost:\(port)/v1/instances/geo:\(index)")
                            request.headers.add(name: "Authorization", value: "Bearer \(TestKeys.acmeReadOnly)")
                            request.headers.add(name: "X-Request-Id", value: "req-\(index)")
                            let response = try await httpClient.execute(request, timeout: .seconds(60))
                            let body = String(buffer: try await response.body.collect(upTo: 10_000))
                            // The test upstreams are unreachable: each caller gets its own answer with its own id —
                            // 503 while logins are tried, 429 once the login bucket is spent.
                            #expect([503, 429].contains(response.status.code))
                            #expect(body.contains(#""request_id":"req-\#(index)""#))
                        }
                    }
                    try await group.waitForAll()
                }
            }
        }
    }
}

extension Array where Element: Sendable {
    fileprivate var async: AsyncArraySequence<Self> { AsyncArraySequence(self) }
}

/// A plain async sequence over an array's elements, for streamed request bodies.
struct AsyncArraySequence<Base: Sequence & Sendable>: AsyncSequence, Sendable where Base.Element: Sendable {
    let base: Base
    init(_ base: Base) { self.base = base }
    struct AsyncIterator: AsyncIteratorProtocol {
        var iterator: Base.Iterator
        mutating func next() async -> Base.Element? { iterator.next() }
    }
    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(iterator: base.makeIterator()) }
}
