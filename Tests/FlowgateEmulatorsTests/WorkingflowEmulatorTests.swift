import FlowgateEmulators
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

struct WorkingflowEmulatorTests {
    static let auth: HTTPFields = [.authorization: "Bearer wf_demo_0000000000000000"]
    static let json: HTTPFields = [.authorization: "Bearer wf_demo_0000000000000000", .contentType: "application/json"]

    /// `(code, error)` of the flat envelope, after checking it is exactly those two keys.
    static func error(_ body: ByteBuffer) throws -> (code: String?, message: String?) {
        let object = try jsonObject(body)
        guard Set(object.keys) == ["error", "code"] else { throw MissingValue(description: "not the flat error envelope: \(object)") }
        return (object["code"] as? String, object["error"] as? String)
    }

    @Test func everyRouteAnswers401WithoutAValidKey() async throws {
        let credentials = WorkingflowEmulator.Credentials(apiKeys: ["wf_live_1": "ERP"], inactiveKeys: ["wf_old_2"])
        try await WorkingflowEmulator(credentials: credentials, largeFileSize: 10).makeApplication(port: 0).test(.router) { client in
            let routes: [(String, HTTPRequest.Method)] = [
                ("/processapi/list", .get), ("/processapi/expense_reimbursement_demo/start", .post), ("/processapi/50100/status", .get),
                ("/processapi/50100/files/a3f8b2c1_receipt.pdf", .get),
            ]
            let attempts: [(HTTPFields, String)] = [
                ([:], "Missing API key"),
                ([.authorization: "Bearer wf_nope"], "Invalid or inactive API key"),
                ([.authorization: "Bearer wf_old_2"], "Invalid or inactive API key"),
                ([.authorization: "wf_live_1"], "Missing API key"),
                ([HTTPField.Name("X-Api-Key")!: "wf_live_1"], "Missing API key"),
            ]
            for (uri, method) in routes {
                for (headers, message) in attempts {
                    try await client.execute(uri: uri, method: method, headers: headers) { response in
                        #expect(response.status == .unauthorized, "\(uri) \(headers)")
                        let error = try Self.error(response.body)
                        #expect(error.code == "UNAUTHORIZED")
                        #expect(error.message == message)
                    }
                }
                try await client.execute(uri: uri, method: method, headers: [.authorization: "Bearer wf_live_1"]) { response in
                    #expect(response.status != .unauthorized)
                }
            }
        }
    }

    @Test func listIsABareArrayOfDefinitions() async throws {
        try await WorkingflowEmulator(largeFileSize: 10).makeApplication(port: 0).test(.router) { client in
            try await client.execute(uri: "/processapi/list", method: .get, headers: Self.auth) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let definitions = try jsonArray(response.body)
                #expect(definitions.count == 6)
                #expect(definitions.allSatisfy { Set($0.keys) == ["key", "name", "version", "description", "hasStartForm"] })
                let expense = try #require(definitions.first { $0["key"] as? String == "expense_reimbursement_demo" })
                #expect(expense["name"] as? String == "Expense Reimbursement Demo")
                #expect(expense["version"] as? Int == 1)
                #expect(expense["hasStartForm"] as? Bool == false)
                let leave = try #require(definitions.first { $0["key"] as? String == "leave_request_demo" })
                #expect(leave["hasStartForm"] as? Bool == true)
                #expect(definitions.filter { $0["hasStartForm"] as? Bool == true }.count == 2)
            }
        }
    }

    @Test func startThenStatusShowsTheNewInstance() async throws {
        try await WorkingflowEmulator(largeFileSize: 10, now: { TestClock.march15 }).makeApplication(port: 0).test(.router) { client in
            let body = ByteBuffer(string: #"{"variables":{"department":"Engineering","notes":"Q2 travel expenses","amount":3,"initiator":"me"}}"#)
            try await client.execute(uri: "/processapi/expense_reimbursement_demo/start", method: .post, headers: Self.json, body: body) { response in
                #expect(response.status == .created)
                let object = try jsonObject(response.body)
                #expect(object["processInstanceId"] as? String == "52407")
                #expect(object["processDefinitionKey"] as? String == "expense_reimbursement_demo")
                #expect(object["message"] as? String == "Process started successfully")
            }
            try await client.execute(uri: "/processapi/52407/status", method: .get, headers: Self.auth) { response in
                #expect(response.status == .ok)
                let status = try jsonObject(response.body)
                #expect(status["processInstanceId"] as? String == "52407")
                #expect(status["processDefinitionName"] as? String == "Expense Reimbursement Demo")
                #expect(status["processDefinitionKey"] as? String == "expense_reimbursement_demo")
                #expect(status["startTime"] as? String == "2026-03-15T13:00:00.000+00:00")
                #expect(status["endTime"] is NSNull)
                #expect(status["status"] as? String == "ACTIVE")
                let tasks = try #require(status["activeTasks"] as? [[String: Any]])
                #expect(tasks.count == 1)
                #expect(tasks.first?["taskId"] as? String == "52412")
                #expect(tasks.first?["taskName"] as? String == "Submit Expense Report")
                #expect(tasks.first?["assignee"] is NSNull)
                #expect(tasks.first?["createTime"] as? String == "2026-03-15T13:00:00.000+00:00")
                let variables = try #require(status["variables"] as? [String: Any])
                #expect(variables["department"] as? String == "Engineering")
                #expect(variables["notes"] as? String == "Q2 travel expenses")
                #expect(variables["amount"] as? Int == 3)
                #expect(variables["initiator"] as? String == "api:Flowgate Demo")
                #expect((status["files"] as? [Any])?.isEmpty == true)
            }
            try await client.execute(uri: "/processapi/purchase_order_approval/start", method: .post, headers: Self.json) { response in
                #expect(response.status == .created, "no body starts with no variables")
                let object = try jsonObject(response.body)
                #expect(object["processInstanceId"] as? String == "52417")
            }
        }
    }

    @Test func startErrorsUseTheDocumentedCodes() async throws {
        try await WorkingflowEmulator(largeFileSize: 10).makeApplication(port: 0).test(.router) { client in
            let variables = ByteBuffer(string: #"{"variables":{}}"#)
            try await client.execute(uri: "/processapi/leave_request_demo/start", method: .post, headers: Self.json, body: variables) { response in
                #expect(response.status == .unprocessableContent)
                let error = try Self.error(response.body)
                #expect(error.code == "START_FORM_NOT_SUPPORTED")
                #expect(error.message == "Processes with start forms cannot be started via API: leave_request_demo")
            }
            let suspended = "/processapi/invoice_dispute_resolution/start"
            try await client.execute(uri: suspended, method: .post, headers: Self.json, body: variables) { response in
                #expect(response.status == .conflict)
                let error = try Self.error(response.body)
                #expect(error.code == "PROCESS_SUSPENDED")
            }
            try await client.execute(uri: "/processapi/no_such_process/start", method: .post, headers: Self.json, body: variables) { response in
                #expect(response.status == .notFound)
                let error = try Self.error(response.body)
                #expect(error.code == "PROCESS_NOT_FOUND")
            }
            for bad in [#"{"variables":"#, #"[1,2]"#, #"{"variables":[1]}"#] {
                try await client.execute(
                    uri: "/processapi/expense_reimbursement_demo/start", method: .post, headers: Self.json, body: ByteBuffer(string: bad)
                ) { response in
                    #expect(response.status == .internalServerError, "\(bad)")
                    let error = try Self.error(response.body)
                    #expect(error.code == "INTERNAL_ERROR")
                }
            }
            // None of the refused starts used an id.
            let expense = "/processapi/expense_reimbursement_demo/start"
            try await client.execute(uri: expense, method: .post, headers: Self.json, body: variables) { response in
                let object = try jsonObject(response.body)
                #expect(object["processInstanceId"] as? String == "52407")
            }
        }
    }

    @Test func seededInstancesCoverEveryStatus() async throws {
        try await WorkingflowEmulator(largeFileSize: 10).makeApplication(port: 0).test(.router) { client in
            let expected = [("50100", "ACTIVE"), ("50140", "SUSPENDED"), ("50160", "COMPLETED"), ("50210", "TERMINATED")]
            for (id, expectedStatus) in expected {
                try await client.execute(uri: "/processapi/\(id)/status", method: .get, headers: Self.auth) { response in
                    #expect(response.status == .ok)
                    let status = try jsonObject(response.body)
                    #expect(status["status"] as? String == expectedStatus)
                    let start = try #require(status["startTime"] as? String)
                    #expect(start.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00/) != nil, "\(start)")
                    let ended = expectedStatus == "COMPLETED" || expectedStatus == "TERMINATED"
                    #expect((status["endTime"] is String) == ended)
                    #expect((status["activeTasks"] as? [Any])?.isEmpty == ended)
                }
            }
            try await client.execute(uri: "/processapi/50100/status", method: .get, headers: Self.auth) { response in
                let status = try jsonObject(response.body)
                let files = try #require(status["files"] as? [[String: Any]])
                #expect(files.compactMap { $0["name"] as? String } == ["a3f8b2c1_receipt.pdf", "7c1d9e04_Q2 travel summary.csv"])
                #expect(files.first?["originalName"] as? String == "receipt.pdf")
                #expect(files.first?["contentType"] as? String == "application/pdf")
            }
            try await client.execute(uri: "/processapi/99999/status", method: .get, headers: Self.auth) { response in
                #expect(response.status == .notFound)
                let error = try Self.error(response.body)
                #expect(error.code == "INSTANCE_NOT_FOUND")
            }
        }
    }

    @Test func forcedFaultUsesTheFlatEnvelope() async throws {
        let emulator = WorkingflowEmulator(largeFileSize: 10)
        emulator.faults.add(Fault(.error(status: 503, code: "X"), count: 1))
        try await emulator.makeApplication(port: 0).test(.router) { client in
            try await client.execute(uri: "/processapi/list", method: .get, headers: Self.auth) { response in
                #expect(response.status == .serviceUnavailable)
                let error = try Self.error(response.body)
                #expect(error.code == "X")
                #expect(error.message == "X")
            }
            try await client.execute(uri: "/processapi/list", method: .get, headers: Self.auth) { response in
                #expect(response.status == .ok)
            }
        }
    }
}
