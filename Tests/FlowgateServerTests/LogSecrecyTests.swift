import FlowgateCore
import FlowgateServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InMemoryLogging
import Logging
import Testing

/// No gateway key and no upstream credential ever reaches a log line, at any level.
struct LogSecrecyTests {
    @Test func noSecretInAnyLogLine() async throws {
        let logs = InMemoryLogHandler()
        var logger = Logger(label: "flowgate", factory: { _ in logs })
        logger.logLevel = .trace
        try await TestGateway.app(logger: logger).test(.router) { client in
            let requests: [(String, HTTPRequest.Method, String, String?)] = [
                ("/v1/connections", .get, TestKeys.acmeReadWrite, nil),
                ("/v1/connections", .get, "wrong-\(TestKeys.acmeReadWrite)", nil),
                ("/v1/instances", .post, TestKeys.acmeReadOnly, #"{"definition":"b24:1"}"#),
                ("/v1/instances", .post, TestKeys.acmeReadWrite, #"{"definition":"b24:1","entity":{"type":"deal","id":"5"}}"#),
                ("/v1/instances/cf:f:1/pause", .post, TestKeys.acmeReadWrite, "{not json"),
                ("/v1/instances?cursor=forged", .get, TestKeys.globex, nil),
            ]
            for (uri, method, key, body) in requests {
                try await client.execute(uri: uri, method: method, headers: .bearer(key), body: body.map { .init(string: $0) }) { _ in }
            }
        }
        let entries = logs.entries
        #expect(entries.count >= 6, "the access log wrote a line per request")
        let secrets = TestKeys.upstreamSecrets + [TestKeys.acmeReadWrite, TestKeys.acmeReadOnly, TestKeys.globex, TestKeys.cursorSecret]
        for entry in entries {
            let line = "\(entry.message) \(entry.metadata) \(entry.error.map { "\($0)" } ?? "")"
            for secret in secrets {
                #expect(!line.contains(secret), "log line leaks a secret: \(entry.message)")
            }
        }
    }

    @Test func configSecretsPrintRedacted() throws {
        let config = try TestGateway.config()
        let connection = try #require(config.tenants.first?.connections.first)
        let dumped = "\(connection) \(String(reflecting: connection)) \(config.server)"
        for secret in TestKeys.upstreamSecrets + [TestKeys.cursorSecret] {
            #expect(!dumped.contains(secret))
        }
        #expect(connection.credentials["api_key"]?.value == TestKeys.upstreamSecrets[0], "the value itself is still there for the wire")
    }
}
