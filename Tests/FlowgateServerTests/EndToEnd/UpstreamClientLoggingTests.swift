import FlowgateEmulators
import Foundation
import HTTPTypes
import HummingbirdTesting
import InMemoryLogging
import Logging
import Testing

/// At `trace`, AsyncHTTPClient would log every answer head and the first and last 32 bytes of each
/// body chunk through the logger it is given. It gets a capped one: no upstream body byte and no
/// header value reaches the log at any level.
@Suite struct UpstreamClientLoggingTests {
    @Test func aGeotareasLoginAndReadLeaveNoTokenOrPayloadInATraceLog() async throws {
        let logs = InMemoryLogHandler()
        var logger = Logger(label: "flowgate", factory: { _ in logs })
        logger.logLevel = .trace
        let (jwt, payload) = try await LiveStack.run(logger: logger) { stack, client in
            let response = try await GeoB24.get(client, "/v1/instances/geo:591847302948571634?include=raw")
            #expect(response.status == .ok)
            let detail = try GeoB24.object(response)
            let reads = stack.emulator("geotareas").recorder.all.filter { !$0.path.hasSuffix("/login") }
            let authorization = try #require(reads.first?.headers[.authorization])
            let jwt = String(authorization.dropFirst("Bearer ".count))
            let entity = try #require(detail["entity"] as? [String: Any])
            let definition = try #require(detail["definition"] as? [String: Any])
            return (jwt, [try #require(entity["label"] as? String), try #require(definition["name"] as? String)])
        }
        #expect(jwt.count > 40, "a JWT came back from the login")
        let lines = logs.entries.map { "\($0.message) \($0.metadata) \($0.error.map { "\($0)" } ?? "")" }
        let secrets = [jwt, String(jwt.prefix(24)), String(jwt.suffix(24))] + payload + LiveStack.Demo.secrets
        for line in lines {
            for secret in secrets where line.contains(secret) { Issue.record("a log line holds '\(secret.prefix(12))…': \(line.prefix(200))") }
            #expect(!line.contains("ahc-http-part"))
            // AsyncHTTPClient prints body bytes as hex, 32 bytes from each end of a chunk; request ids are
            // 32 hex digits, so any longer run is a body.
            #expect(line.range(of: "[0-9a-f]{40,}", options: .regularExpression) == nil, "hex bytes in: \(line.prefix(200))")
        }
        // The client still logs, under the request id, at the levels it is allowed.
        let clientLines = logs.entries.filter { "\($0.message)" == "Request was scheduled on connection" }
        #expect(!clientLines.isEmpty, "the upstream client's debug lines still reach the log")
        #expect(clientLines.allSatisfy { $0.metadata["hb.request.id"] != nil })
        #expect(logs.entries.allSatisfy { $0.level > .trace || $0.metadata["ahc-request-id"] == nil }, "no client line at trace")
    }
}
