import FlowgateEmulators
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Workingflow through the gateway: definitions, detail, start, data, and what it cannot do.
@Suite struct WorkingflowE2ETests {
    @Test func listsDefinitionsWithStartFormsNotStartable() async throws {
        try await LiveStack.run { stack, client in
            let response = try await client.get("/v1/definitions?connection=wf&include=raw")
            #expect(response.status == .ok)
            OpenAPIValidator.shared.check(response, path: "/v1/definitions", method: "get")
            let definitions = try CFJSON.list(response)
            #expect(definitions.count == 6)
            let startable = Dictionary(uniqueKeysWithValues: definitions.map { ($0["id"] as? String ?? "", $0["startable"] as? Bool) })
            #expect(startable["wf:leave_request_demo"] == false && startable["wf:vendor_onboarding"] == false)
            #expect(startable["wf:expense_reimbursement_demo"] == true)
            let purchase = try #require(definitions.first { $0["id"] as? String == "wf:purchase_order_approval" })
            #expect(purchase["version"] as? String == "3" && purchase["name"] as? String == "Purchase Order Approval")
            #expect((purchase["raw"] as? [String: Any])?["hasStartForm"] as? Bool == false)

            let sent = try #require(stack.emulator("workingflow").recorder.all.last)
            #expect(sent.method == .get && sent.path == "/processapi/list")
            #expect(sent.headers[.authorization] == "Bearer \(LiveStack.Demo.workingflowKey)")
        }
    }

    @Test func getsAnInstanceWithTasksVariablesAndFiles() async throws {
        try await LiveStack.run { stack, client in
            let response = try await client.get("/v1/instances/wf:50100")
            #expect(response.status == .ok)
            OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}", method: "get")
            let instance = try CFJSON.object(response)
            #expect(instance["id"] as? String == "wf:50100")
            #expect(instance["status"] as? String == "running" && instance["provider_status"] as? String == "ACTIVE")
            #expect((instance["definition"] as? [String: Any])?["id"] as? String == "wf:expense_reimbursement_demo")
            #expect(instance["started_by"] as? String == "api:ERP Integration")
            #expect(instance["pending_tasks"] as? Int == 1)
            #expect((instance["current_step"] as? [String: Any])?["name"] as? String == "Submit Expense Report")
            let task = try #require((instance["tasks"] as? [[String: Any]])?.first)
            #expect(task["id"] as? String == "50105" && task["status"] as? String == "pending" && task["assignee"] is NSNull)
            #expect((instance["variables"] as? [String: Any])?["currency"] as? String == "EUR")
            let startedAt = try #require(instance["started_at"] as? String)
            #expect(startedAt.hasSuffix("Z"))
            let files = try #require(instance["files"] as? [[String: Any]])
            #expect(
                files.compactMap { $0["url"] as? String } == [
                    "/v1/instances/wf%3A50100/files/a3f8b2c1_receipt.pdf", "/v1/instances/wf%3A50100/files/7c1d9e04_Q2%20travel%20summary.csv",
                ])
            #expect(files.first?["content_type"] as? String == "application/pdf")
            #expect(instance["raw"] == nil)

            let sent = try #require(stack.emulator("workingflow").recorder.all.last)
            #expect(sent.path == "/processapi/50100/status")
            #expect(sent.headers[.authorization] == "Bearer \(LiveStack.Demo.workingflowKey)")
        }
    }

    @Test func statusWordsMapWordForWord() async throws {
        try await LiveStack.run { _, client in
            // 50160 completed, 50140 suspended with its definition, 50210 terminated by an administrator: it
            // has an `endTime`, which means it ended, whatever the word (the word stays in provider_status).
            for (id, status, word) in [("50160", "completed", "COMPLETED"), ("50140", "paused", "SUSPENDED"), ("50210", "completed", "TERMINATED")] {
                let response = try await client.get("/v1/instances/wf:\(id)?include=raw")
                OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}", method: "get")
                let instance = try CFJSON.object(response)
                #expect(instance["status"] as? String == status && instance["provider_status"] as? String == word, "\(id)")
                #expect((instance["raw"] as? [String: Any])?["processInstanceId"] as? String == id)
            }
        }
    }

    @Test func startsWithVariablesAndReadsTheInstanceBack() async throws {
        try await LiveStack.run { stack, client in
            let response = try await client.post(
                "/v1/instances", #"{"definition": "wf:expense_reimbursement_demo", "input": {"amount": 99, "notes": "taxi"}}"#)
            #expect(response.status == .created)
            CFStartAnswer.check(response)
            let instance = try CFJSON.object(response)
            let id = try #require(instance["id"] as? String)
            #expect(id.hasPrefix("wf:"))
            #expect(instance["status"] as? String == "running" && instance["provider_status"] as? String == "ACTIVE")
            #expect(instance["started_by"] as? String == "api:Flowgate Demo")

            let sent = stack.emulator("workingflow").recorder.all
            let start = try #require(sent.first)
            #expect(start.method == .post && start.path == "/processapi/expense_reimbursement_demo/start")
            #expect(start.headers[.authorization] == "Bearer \(LiveStack.Demo.workingflowKey)")
            let body = try #require(CFJSON.body(start) as? [String: Any])
            #expect(body.keys.sorted() == ["variables"])
            #expect((body["variables"] as? [String: Any])?["notes"] as? String == "taxi")

            let data = try await client.get("/v1/instances/\(id)/data")
            #expect(data.status == .ok)
            OpenAPIValidator.shared.check(data, path: "/v1/instances/{id}/data", method: "get")
            let captured = try CFJSON.object(data)
            #expect((captured["variables"] as? [String: Any])?["amount"] as? Int == 99)
            #expect(captured["input"] is NSNull && captured["output"] is NSNull && (captured["steps"] as? [Any])?.isEmpty == true)
        }
    }

    @Test(arguments: [
        ("leave_request_demo", 422, "UNPROCESSABLE", "START_FORM_NOT_SUPPORTED"),
        ("invoice_dispute_resolution", 409, "CONFLICT", "PROCESS_SUSPENDED"),
        ("no_such_process", 404, "NOT_FOUND", "PROCESS_NOT_FOUND"),
    ])
    func refusedStarts(key: String, status: Int, code: String, upstreamCode: String) async throws {
        try await LiveStack.run { _, client in
            let response = try await client.post("/v1/instances", #"{"definition": "wf:\#(key)"}"#)
            #expect(Int(response.status.code) == status)
            CFStartAnswer.check(response)
            let error = try ErrorBody(response)
            #expect(error.code == code)
            #expect((error.object["upstream"] as? [String: Any])?["code"] as? String == upstreamCode)
        }
    }

    @Test(arguments: [
        (#"{"definition": "wf:expense_reimbursement_demo", "entity": {"type": "deal", "id": "7"}}"#, ["entity"]),
        (#"{"definition": "wf:expense_reimbursement_demo", "instance_id": "mine"}"#, ["instance_id"]),
    ])
    func entityAndInstanceIdAreRefusedWithoutAnUpstreamCall(body: String, fields: [String]) async throws {
        try await LiveStack.run { stack, client in
            let response = try await client.post("/v1/instances", body)
            #expect(response.status == .badRequest)
            CFStartAnswer.check(response)
            let error = try ErrorBody(response)
            #expect(error.detailFields == fields.map { Optional($0) })
            #expect(stack.emulator("workingflow").recorder.count == 0)
        }
    }

    @Test func unknownInstanceIsNotFound() async throws {
        try await LiveStack.run { _, client in
            let response = try await client.get("/v1/instances/wf:99999")
            #expect(response.status == .notFound)
            OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}", method: "get")
            #expect((try ErrorBody(response).object["upstream"] as? [String: Any])?["code"] as? String == "INSTANCE_NOT_FOUND")
        }
    }

    @Test func operationsWorkingflowLacksAreNotSupported() async throws {
        try await LiveStack.run { stack, client in
            var answers: [(TestResponse, String, String)] = []
            answers.append((try await client.get("/v1/instances?connection=wf"), "/v1/instances", "get"))
            answers.append((try await client.get("/v1/instances/wf:50100/timeline"), "/v1/instances/{id}/timeline", "get"))
            for action in ["cancel", "pause", "resume", "restart"] {
                answers.append((try await client.post("/v1/instances/wf:50100/\(action)", nil), "/v1/instances/{id}/\(action)", "post"))
            }
            answers.append((try await client.post("/v1/instances/wf:50100/events/approved", "{}"), "/v1/instances/{id}/events/{type}", "post"))
            for (response, path, method) in answers {
                #expect(response.status == .notImplemented, "\(path)")
                OpenAPIValidator.shared.check(response, path: path, method: method)
                let error = try ErrorBody(response)
                #expect(error.code == "NOT_SUPPORTED" && error.message.contains("workingflow"), "\(path)")
            }
            #expect(stack.emulator("workingflow").recorder.count == 0)
        }
    }

    /// A fan-out list skips Workingflow and says so.
    @Test func aFanOutListSkipsWorkingflow() async throws {
        try await LiveStack.run { _, client in
            let response = try await client.get("/v1/instances?connection=wf&connection=cf&limit=2")
            #expect(response.status == .ok)
            OpenAPIValidator.shared.check(response, path: "/v1/instances", method: "get")
            let skipped = try #require(try CFJSON.meta(response)["skipped"] as? [[String: Any]])
            #expect(skipped.count == 1 && skipped.first?["connection"] as? String == "wf" && skipped.first?["reason"] as? String == "NOT_SUPPORTED")
        }
    }
}
