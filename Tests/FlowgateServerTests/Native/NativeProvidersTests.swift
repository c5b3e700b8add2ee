import FlowgateEmulators
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Bitrix24, Geotareas and Workingflow through the native route: list, get, start and cancel in each
/// upstream's own API, with the connection's credentials injected exactly as the adapters inject them.
@Suite struct NativeProvidersTests {
    @Test func bitrix24ListStartAndTerminateWithTheAppKeyAndSession() async throws {
        try await LiveStack.run { stack, client in
            let list = try await client.native("b24", "/v1/workflows")
            #expect(list.status == .ok)
            #expect((try Native.json(list)["data"] as? [[String: Any]])?.isEmpty == false)

            let started = try await client.native(
                "b24", "/v1/workflows/start", .post, body: #"{"templateId":713,"entityType":"deal","entityId":5150}"#)
            #expect(started.status.code / 100 == 2)
            let id = try #require((try Native.json(started)["data"] as? [String: Any])?["workflowId"] as? String)

            let terminated = try await client.native("b24", "/v1/workflows/\(id)?status=native%20stop", .delete)
            #expect(terminated.status == .noContent && terminated.body.readableBytes == 0)
            let delete = try #require(stack.emulator("bitrix24").recorder.all.last)
            #expect(delete.method == .delete && delete.query == "status=native%20stop")

            let templates = try await client.native("b24", "/v1/bizproc-templates")
            #expect(templates.status == .ok)

            let sent = stack.emulator("bitrix24").recorder.all
            Native.checkCredentials(sent, header: .init("X-Api-Key")!, credential: LiveStack.Demo.bitrixAppKey)
            Native.checkCredentials(sent, header: .authorization, credential: "Bearer \(LiveStack.Demo.bitrixSession)")
        }
    }

    @Test func geotareasListGetStartAndCancelOnTheGatewaysSession() async throws {
        try await LiveStack.run { stack, client in
            let geotareas = stack.emulator("geotareas")
            let base = "/apidev/v1/workflow/instances"
            let list = try await client.native("geo", "\(base)?limit=5&status=RUNNING")
            #expect(list.status == .ok)
            #expect((try Native.json(list)["meta"] as? [String: Any])?["limit"] as? Int == 5)
            let one = try await client.native("geo", "\(base)/591847302948571634")
            #expect((try Native.json(one)["data"] as? [String: Any])?["id"] as? String == "591847302948571634")

            let started = try await client.native("geo", base, .post, body: #"{"definition_id":"482938470192837465","entity_type":"CUENTA"}"#)
            #expect(started.status == .created)
            let id = try #require((try Native.json(started)["data"] as? [String: Any])?["instance_id"] as? String)
            let cancelled = try await client.native("geo", "\(base)/\(id)/cancel", .post, body: #"{"reason":"native test"}"#)
            #expect((try Native.json(cancelled)["data"] as? [String: Any])?["status"] as? String == "CANCELLED")

            let logins = geotareas.recorder.all.filter { $0.path == "/apidev/v1/login" }
            #expect(logins.count == 1, "one login serves every call")
            let calls = geotareas.recorder.all.filter { $0.path.hasPrefix("/apidev/v1/workflow/") }
            Native.checkCredentials(calls, header: .init("X-API-Key")!, credential: LiveStack.Demo.geotareasKey)
            Native.checkCredentials(calls, header: .init("tenant")!, credential: LiveStack.Demo.geotareasTenant)
            #expect(calls.allSatisfy { $0.headers[.authorization]?.hasPrefix("Bearer ey") == true }, "the session's JWT")
        }
    }

    /// A 401 means the JWT was refused: one re-login, and the call (its body kept) goes once more.
    @Test func geotareasLogsInAgainOnA401AndReplaysTheCall() async throws {
        try await LiveStack.run { stack, client in
            let geotareas = stack.emulator("geotareas")
            _ = try await client.native("geo", "/apidev/v1/workflow/definitions")
            geotareas.faults.add(Fault(.error(status: 401, code: "UNAUTHORIZED"), pathPrefix: "/apidev/v1/workflow/", count: 1))
            let started = try await client.native(
                "geo", "/apidev/v1/workflow/instances", .post, body: #"{"definition_id":"482938470192837465","entity_type":"CUENTA","entity_id":"7"}"#
            )
            #expect(started.status == .created)
            #expect(geotareas.recorder.all.filter { $0.path == "/apidev/v1/login" }.count == 2)
            let starts = geotareas.recorder.all.filter { $0.method == .post && $0.path == "/apidev/v1/workflow/instances" }
            #expect(
                starts.count == 2
                    && starts.map { String(buffer: $0.body) }.allSatisfy {
                        $0 == #"{"definition_id":"482938470192837465","entity_type":"CUENTA","entity_id":"7"}"#
                    })
        }
    }

    @Test func workingflowListStartAndStatusWithItsBearerKey() async throws {
        try await LiveStack.run { stack, client in
            let list = try await client.native("wf", "/processapi/list")
            #expect(list.status == .ok)
            #expect(try Native.jsonArray(list).contains { $0["key"] as? String == "expense_reimbursement_demo" })
            let started = try await client.native("wf", "/processapi/expense_reimbursement_demo/start", .post, body: #"{"variables":{"amount":12}}"#)
            #expect(started.status == .created)
            let id = try #require(try Native.json(started)["processInstanceId"] as? String)
            let status = try await client.native("wf", "/processapi/\(id)/status")
            #expect((try Native.json(status)["variables"] as? [String: Any])?["amount"] as? Int == 12)
            // Workingflow has no cancel: the upstream's own answer to the path comes back.
            let cancel = try await client.native("wf", "/processapi/\(id)/cancel", .post, body: "{}")
            #expect(cancel.status.code == 404 || cancel.status.code == 405)
            #expect(cancel.headers[Native.flowgateError] == nil)
            Native.checkCredentials(
                stack.emulator("workingflow").recorder.all, header: .authorization, credential: "Bearer \(LiveStack.Demo.workingflowKey)")
        }
    }
}
