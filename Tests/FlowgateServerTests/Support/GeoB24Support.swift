import FlowgateEmulators
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOFoundationEssentialsCompat
import Testing

/// Helpers of the Geotareas and Bitrix24 end-to-end tests.
enum GeoB24 {
    /// The JSON document of an answer.
    static func document(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any], sourceLocation: sourceLocation)
    }

    /// `data` of a list answer.
    static func items(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        try #require(try document(response)["data"] as? [[String: Any]], sourceLocation: sourceLocation)
    }

    /// `data` of a single-object answer.
    static func object(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        try #require(try document(response)["data"] as? [String: Any], sourceLocation: sourceLocation)
    }

    static func nextCursor(_ response: TestResponse) throws -> String? {
        (try document(response)["meta"] as? [String: Any])?["next_cursor"] as? String
    }

    /// A GET with the read-write key.
    /// A GET with the read-write key, past the gateway's cache (`Cache-Control: no-cache`): these tests
    /// are about what reaches the upstream.
    static func get(_ client: any TestClientProtocol, _ uri: String) async throws -> TestResponse {
        var headers = HTTPFields.bearer(TestKeys.acmeReadWrite)
        headers[.cacheControl] = "no-cache"
        return try await client.execute(uri: uri, method: .get, headers: headers, body: nil)
    }

    /// A POST of a JSON body with the read-write key.
    static func post(_ client: any TestClientProtocol, _ uri: String, _ body: String) async throws -> TestResponse {
        var headers = HTTPFields.bearer(TestKeys.acmeReadWrite)
        headers[.contentType] = "application/json"
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// Every page of a list through its cursor, each answer checked against the spec.
    static func allPages(_ client: any TestClientProtocol, _ query: String, maxPages: Int = 50) async throws -> (items: [[String: Any]], pages: Int) {
        var items: [[String: Any]] = []
        var cursor: String?
        for page in 1...maxPages {
            let uri = "/v1/instances?\(query)" + (cursor.map { "&cursor=\($0)" } ?? "")
            let response = try await get(client, uri)
            #expect(response.status == .ok)
            OpenAPIValidator.shared.check(response, path: "/v1/instances", method: "get")
            items += try Self.items(response)
            cursor = try nextCursor(response)
            if cursor == nil { return (items, page) }
        }
        Issue.record("the list did not end within \(maxPages) pages")
        return (items, maxPages)
    }

    /// A start's answer (success or error) against the spec.
    static func checkStart(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) {
        OpenAPIValidator.shared.check(response, path: "/v1/instances", method: "post", sourceLocation: sourceLocation)
    }

    /// Requests an emulator received on paths starting with `prefix`.
    static func received(_ emulator: any Emulator, _ prefix: String) -> [RecordedRequest] {
        emulator.recorder.all.filter { $0.path.hasPrefix(prefix) }
    }

    /// A query parameter of a recorded request, percent-decoded.
    static func query(_ request: RecordedRequest, _ name: String) -> String? {
        guard let query = request.query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.first.map(String.init) == name {
                return parts.count == 2 ? String(parts[1]).removingPercentEncoding : ""
            }
        }
        return nil
    }

    static func header(_ request: RecordedRequest, _ name: String) -> String? {
        HTTPField.Name(name).flatMap { request.headers[$0] }
    }

    /// An upstream that breaks its contract, on an ephemeral port: `answer` decides every reply.
    static func withFakeUpstream<Value: Sendable>(
        _ answer: @escaping @Sendable (Request) -> Response, _ body: @Sendable (Int) async throws -> Value
    ) async throws -> Value {
        let router = Router()
        router.on("**", method: .get) { request, _ in answer(request) }
        router.on("**", method: .post) { request, _ in answer(request) }
        router.on("**", method: .delete) { request, _ in answer(request) }
        let (bound, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: Logger(label: "fake-upstream", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            var port = 0
            for await value in bound { port = value }
            let value = try await body(port)
            group.cancelAll()
            return value
        }
    }

    /// A response with a body as given.
    static func reply(_ status: HTTPResponse.Status, _ body: String, contentType: String = "application/json") -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
