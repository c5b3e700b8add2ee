import FlowgateEmulators
import FlowgateServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InMemoryLogging
import Logging
import Testing

/// An upstream that drifted: values no reader can use are left out, the rest of the answer stands, each
/// occurrence is counted, and each (field, shape) is logged once — through the real server.
@Suite struct ShapeDriftTests {
    static let status = """
        {"processInstanceId":"7","processDefinitionKey":"expense","status":"ACTIVE","startTime":"sometime",
         "activeTasks":[{"taskName":"no id"},{"taskId":"12","taskName":"Review","assignee":null,"createTime":"2026-05-01T09:15:22.117+00:00"}],
         "variables":{"initiator":"api:ERP"},"files":[42,{"fileName":"a_ok.pdf","size":"12"},{"contentType":"text/plain"}]}
        """

    @Test func driftIsLeftOutCountedAndLoggedOnce() async throws {
        let logs = InMemoryLogHandler()
        let logger = {
            var logger = Logger(label: "drift", factory: { _ in logs })
            logger.logLevel = .info
            return logger
        }()
        let metrics = GatewayMetrics()
        try await CFStubUpstream.run({ router in
            router.get("/processapi/7/status") { _, _ in CFStubUpstream.json(.ok, Self.status) }
        }) { port in
            try await LiveStack.run(
                logger: logger, metrics: metrics, config: { $0.configYAML(extraConnections: CFStubUpstream.workingflowConnection("wfs", port: port)) }
            ) { _, client in
                for _ in 0..<3 {
                    let response = try await GeoB24.get(client, "/v1/instances/wfs:7?include=raw")
                    #expect(response.status == .ok)
                    OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}", method: "get")
                    let detail = try CFJSON.object(response)
                    #expect(detail["started_at"] is NSNull && detail["status"] as? String == "running")
                    #expect((detail["tasks"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["12"])
                    #expect((detail["files"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["a_ok.pdf"])
                    #expect((detail["files"] as? [[String: Any]])?.first?["size"] as? Int == 12)
                    #expect(((detail["raw"] as? [String: Any])?["files"] as? [Any])?.count == 3, "include=raw keeps what was dropped")
                }
            }
        }
        let counted = metrics.lines(of: "flowgate_upstream_shape_drift_total")
        for field in ["startTime", "activeTasks[].taskId", "files[]", "files[].name"] {
            let line = counted.first { $0.contains(#"field="\#(field)""#) }
            #expect(line?.contains(#"tenant="acme""#) == true && line?.contains(#"connection="wfs""#) == true, "\(field)")
            #expect(line?.hasSuffix(" 3") == true, "\(field) counted on every read: \(line ?? "none")")
        }
        let warnings = logs.entries.filter { $0.level == .warning && $0.metadata["field"] != nil }
        #expect(warnings.count == 4, "one warning per field and shape, not per request")
        #expect(
            Set(warnings.compactMap { $0.metadata["field"].map { "\($0)" } }) == ["startTime", "activeTasks[].taskId", "files[]", "files[].name"])
        #expect(warnings.allSatisfy { $0.metadata["connection"].map { "\($0)" } == "wfs" })
    }

    /// Without the fields the canonical instance cannot exist without, the answer is `502` naming them.
    @Test func aMissingStatusWordIsStillAContractBreak() async throws {
        try await CFStubUpstream.run({ router in
            router.get("/processapi/8/status") { _, _ in CFStubUpstream.json(.ok, #"{"processInstanceId":"8","files":[]}"#) }
        }) { port in
            try await LiveStack.run(config: { $0.configYAML(extraConnections: CFStubUpstream.workingflowConnection("wfs", port: port)) }) {
                _, client in
                let response = try await client.get("/v1/instances/wfs:8")
                #expect(response.status == .badGateway)
                OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}", method: "get")
                let error = try ErrorBody(response)
                #expect(error.code == "UPSTREAM_ERROR" && error.message.contains("status is missing"))
            }
        }
    }
}
