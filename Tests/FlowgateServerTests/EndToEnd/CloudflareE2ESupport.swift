import FlowgateEmulators
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationEssentialsCompat
import Testing

/// Reading canonical answers in the Cloudflare and Workingflow end-to-end tests.
enum CFJSON {
    static func document(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any], sourceLocation: sourceLocation)
    }

    /// `data` of a single-object answer.
    static func object(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        try #require(try document(response)["data"] as? [String: Any], sourceLocation: sourceLocation)
    }

    /// `data` of a list answer.
    static func list(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        try #require(try document(response)["data"] as? [[String: Any]], sourceLocation: sourceLocation)
    }

    static func meta(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        try #require(try document(response)["meta"] as? [String: Any], sourceLocation: sourceLocation)
    }

    /// A request body the emulator recorded, as JSON.
    static func body(_ request: RecordedRequest) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(buffer: request.body), options: [.fragmentsAllowed])
    }
}

extension TestClientProtocol {
    /// `POST` with a JSON body as the caller holding `key` sends it.
    func post(_ uri: String, _ body: String?, key: String = TestKeys.acmeReadWrite) async throws -> TestResponse {
        var headers = HTTPFields.bearer(key)
        if body != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: .post, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    func get(_ uri: String, key: String = TestKeys.acmeReadWrite) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: .bearer(key), body: nil)
    }
}

/// Requests an emulator received for paths under `prefix`.
extension RequestRecorder {
    func received(under prefix: String) -> [RecordedRequest] {
        all.filter { $0.path.hasPrefix(prefix) }
    }
}

/// A fake upstream that answers whatever a test wants (garbage, broken envelopes, odd headers), for the
/// contract-break cases the faithful emulators never produce. Runs on an ephemeral loopback port.
enum CFStubUpstream {
    static func run<Value: Sendable>(
        _ routes: @Sendable (Router<BasicRequestContext>) -> Void, _ body: @Sendable (Int) async throws -> Value
    ) async throws -> Value {
        let router = Router()
        routes(router)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in try await body(try #require(client.port)) }
    }

    static func json(_ status: HTTPResponse.Status, _ text: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A gateway config line for an extra connection `name` on the stub (indented for `configYAML`).
    static func cloudflareConnection(_ name: String, port: Int) -> String {
        """
              - name: \(name)
                provider: cloudflare
                base_url: http://127.0.0.1:\(port)/client/v4
                account_id: acc1
                credentials: {api_token: stub-token-123456}
        """
    }

    static func workingflowConnection(_ name: String, port: Int) -> String {
        """
              - name: \(name)
                provider: workingflow
                base_url: http://127.0.0.1:\(port)
                credentials: {api_key: wf_stub_123456}
        """
    }
}

/// A start's answer (success or error) against the spec.
enum CFStartAnswer {
    static func check(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) {
        OpenAPIValidator.shared.check(response, path: "/v1/instances", method: "post", sourceLocation: sourceLocation)
    }
}
