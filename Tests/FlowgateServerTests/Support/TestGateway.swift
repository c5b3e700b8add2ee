import FlowgateServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOFoundationEssentialsCompat
import Testing

/// Gateway keys and secrets used by the server tests. The secrets are distinctive so a test can search
/// logs and answers for them.
enum TestKeys {
    static let acmeReadWrite = "fgk_acme_rw_0123456789"
    static let acmeReadOnly = "fgk_acme_ro_0123456789"
    /// Scope `native` only: the native passthrough (docs/native.md).
    static let acmeNative = "fgk_acme_native_0123456789"
    static let globex = "fgk_globex_0123456789"
    static let cursorSecret = "cursor-secret-for-tests-0123"
    static let upstreamSecrets = ["B24-SECRET-abc123", "CF-TOKEN-def456", "GEO-PASS-ghi789", "WF-KEY-jkl012"]
}

enum TestGateway {
    /// A config with two tenants; acme has one connection per provider, globex one.
    static func yaml(port: Int = 0, maxBodyBytes: Int = 1024) -> String {
        """
        server:
          host: 127.0.0.1
          port: \(port)
          max_body_bytes: \(maxBodyBytes)
          cursor_secret: \(TestKeys.cursorSecret)
        tenants:
          - name: acme
            keys:
              - {id: rw, hash: "\(KeyHash.configString(of: TestKeys.acmeReadWrite))", scopes: [read, execute]}
              - {id: ro, hash: "\(KeyHash.configString(of: TestKeys.acmeReadOnly))", scopes: [read]}
            connections:
              - {name: b24, provider: bitrix24, base_url: "http://127.0.0.1:9", credentials: {api_key: \(TestKeys.upstreamSecrets[0])}}
              - name: cf
                provider: cloudflare
                base_url: http://127.0.0.1:9/client/v4
                account_id: acc1
                credentials: {api_token: \(TestKeys.upstreamSecrets[1])}
              - name: geo
                provider: geotareas
                base_url: http://127.0.0.1:9
                credentials: {api_key: k, email: e, password: \(TestKeys.upstreamSecrets[2])}
              - {name: wf, provider: workingflow, base_url: "http://127.0.0.1:9", credentials: {api_key: \(TestKeys.upstreamSecrets[3])}}
          - name: globex
            keys:
              - {id: main, hash: "\(KeyHash.configString(of: TestKeys.globex))", scopes: [read, execute]}
            connections:
              - {name: gx, provider: workingflow, base_url: "http://127.0.0.1:9", credentials: {api_key: gx-key}}
        """
    }

    static func config(maxBodyBytes: Int = 1024) throws -> GatewayConfig {
        try ConfigLoader(references: SecretReferences(environment: [:])).parse(yaml: yaml(maxBodyBytes: maxBodyBytes))
    }

    static func app(
        maxBodyBytes: Int = 1024, logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
        metrics: GatewayMetrics = GatewayMetrics()
    ) throws -> some ApplicationProtocol {
        try buildApplication(config: config(maxBodyBytes: maxBodyBytes), logger: logger, metrics: metrics)
    }
}

extension HTTPFields {
    static func bearer(_ key: String) -> HTTPFields { [.authorization: "Bearer \(key)"] }
}

/// The canonical error envelope of a response, checked for completeness on the way.
struct ErrorBody {
    let code: String
    let status: Int
    let message: String
    let details: [[String: Any]]?
    let object: [String: Any]

    init(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let document = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
        let error = try #require(document?["error"] as? [String: Any], sourceLocation: sourceLocation)
        #expect(
            Set(error.keys) == [
                "code", "message", "status", "retryable", "retry_after_s", "request_id", "connection", "provider", "upstream", "details",
            ], "every envelope field is present", sourceLocation: sourceLocation
        )
        #expect(error["status"] as? Int == Int(response.status.code), sourceLocation: sourceLocation)
        #expect(error["request_id"] as? String == response.headers[.init("X-Request-Id")!], sourceLocation: sourceLocation)
        self.code = try #require(error["code"] as? String, sourceLocation: sourceLocation)
        self.status = try #require(error["status"] as? Int, sourceLocation: sourceLocation)
        self.message = try #require(error["message"] as? String, sourceLocation: sourceLocation)
        self.details = error["details"] as? [[String: Any]]
        self.object = error
    }

    var detailFields: [String?] { details?.map { $0["field"] as? String } ?? [] }
}
