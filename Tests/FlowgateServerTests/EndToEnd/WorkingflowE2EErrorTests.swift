import FlowgateEmulators
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Every Workingflow error code of docs/upstreams/workingflow.md#errors in its own flat envelope, and answers that break
/// Workingflow's contract.
@Suite struct WorkingflowE2EErrorTests {
    @Test(arguments: [
        (401, "UNAUTHORIZED", "UPSTREAM_AUTH_FAILED", 502),
        (404, "PROCESS_NOT_FOUND", "NOT_FOUND", 404),
        (404, "INSTANCE_NOT_FOUND", "NOT_FOUND", 404),
        (404, "FILE_NOT_FOUND", "NOT_FOUND", 404),
        (409, "PROCESS_SUSPENDED", "CONFLICT", 409),
        (422, "START_FORM_NOT_SUPPORTED", "UNPROCESSABLE", 422),
        (500, "INTERNAL_ERROR", "UPSTREAM_ERROR", 502),
        (418, "SOMETHING_NEW", "UPSTREAM_ERROR", 502),
    ])
    func upstreamCodesMapToCanonicalErrors(status: Int, code: String, canonical: String, http: Int) async throws {
        try await LiveStack.run { stack, client in
            let emulator = stack.emulator("workingflow")
            emulator.faults.add(Fault(.error(status: status, code: code), pathPrefix: "/processapi/", count: 1))
            // Start-only refusals are forced on a start; the rest on a read.
            let response: TestResponse
            if ["PROCESS_SUSPENDED", "START_FORM_NOT_SUPPORTED", "PROCESS_NOT_FOUND"].contains(code) {
                response = try await client.post("/v1/instances", #"{"definition": "wf:expense_reimbursement_demo"}"#)
                CFStartAnswer.check(response)
            } else {
                response = try await client.get("/v1/instances/wf:50100")
                OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}", method: "get")
            }
            #expect(Int(response.status.code) == http)
            let error = try ErrorBody(response)
            #expect(error.code == canonical)
            #expect(error.object["provider"] as? String == "workingflow" && error.object["connection"] as? String == "wf")
            let upstream = try #require(error.object["upstream"] as? [String: Any])
            #expect(upstream["status"] as? Int == status && upstream["code"] as? String == code)
        }
    }

    /// A wrong key is the operator's problem: `502`, and the key never shows.
    @Test func aRejectedKeyIsUpstreamAuthFailedWithoutTheKey() async throws {
        let extra = """
                  - name: wfbad
                    provider: workingflow
                    base_url: BASE
                    credentials: {api_key: wf_wrong_key_0000}
            """
        try await LiveStack.run(config: { $0.configYAML(extraConnections: extra.replacingOccurrences(of: "BASE", with: $0.baseURL("workingflow"))) })
        { stack, client in
            let response = try await client.get("/v1/definitions?connection=wfbad")
            #expect(response.status == .badGateway)
            OpenAPIValidator.shared.check(response, path: "/v1/definitions", method: "get")
            let error = try ErrorBody(response)
            #expect(error.code == "UPSTREAM_AUTH_FAILED")
            #expect(!String(buffer: response.body).contains("wf_wrong_key_0000"))
            #expect(stack.emulator("workingflow").recorder.all.last?.headers[.authorization] == "Bearer wf_wrong_key_0000")
        }
    }

    @Test(arguments: [
        ("/processapi/list", #"{"key": "x"}"#, "/v1/definitions?connection=wfstub", "/v1/definitions"),
        ("/processapi/list", "<html>oops</html>", "/v1/definitions?connection=wfstub", "/v1/definitions"),
        ("/processapi/list", #"[{"name": "X", "hasStartForm": false}]"#, "/v1/definitions?connection=wfstub", "/v1/definitions"),
        ("/processapi/7/status", #"{"processDefinitionKey": "k", "status": "ACTIVE"}"#, "/v1/instances/wfstub:7", "/v1/instances/{id}"),
        ("/processapi/7/status", #"{"processInstanceId": "7", "status": ["ACTIVE"]}"#, "/v1/instances/wfstub:7", "/v1/instances/{id}"),
    ])
    /// Only what the canonical object cannot exist without: a definition's key, an instance's id and status word.
    func brokenAnswersAreUpstreamErrors(upstreamPath: String, body: String, uri: String, route: String) async throws {
        try await CFStubUpstream.run({ router in
            router.get(RouterPath(upstreamPath)) { _, _ in CFStubUpstream.json(.ok, body) }
        }) { port in
            try await LiveStack.run(config: { $0.configYAML(extraConnections: CFStubUpstream.workingflowConnection("wfstub", port: port)) }) {
                _, client in
                let response = try await client.get(uri)
                #expect(response.status == .badGateway, "\(body)")
                OpenAPIValidator.shared.check(response, path: route, method: "get")
                #expect(try ErrorBody(response).code == "UPSTREAM_ERROR")
            }
        }
    }
}
