import FlowgateCore
import FlowgateEmulators
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOFoundationEssentialsCompat
import Testing

/// The Bitrix24 adapter end to end: gateway → vibecode emulator and back, over real sockets.
@Suite struct Bitrix24EndToEndTests {
    static let workflows = "/v1/workflows"

    @Test func definitionsComeFromTheTemplateListWithTheSessionCredentials() async throws {
        try await LiveStack.run { stack, client in
            let response = try await GeoB24.get(client, "/v1/definitions?connection=b24&include=raw")
            #expect(response.status == .ok)
            OpenAPIValidator.shared.check(response, path: "/v1/definitions", method: "get")
            let definitions = try GeoB24.items(response)
            #expect(definitions.count == 7)
            let deal = try #require(definitions.first { $0["id"] as? String == "b24:713" })
            #expect(deal["name"] as? String == "Deal approval")
            #expect(deal["startable"] as? Bool == true)
            #expect(deal["entity_type"] as? String == "deal")
            #expect((deal["raw"] as? [String: Any])?["documentType"] as? String == "DEAL")
            let lists = try #require(definitions.first { $0["id"] as? String == "b24:718" })
            #expect(lists["startable"] as? Bool == false)

            let calls = GeoB24.received(stack.emulator("bitrix24"), "/v1/entities/bizproc-templates")
            #expect(calls.count == 1)
            let call = try #require(calls.first)
            #expect(GeoB24.header(call, "X-Api-Key") == LiveStack.Demo.bitrixAppKey)
            #expect(GeoB24.header(call, "Authorization") == "Bearer \(LiveStack.Demo.bitrixSession)")
        }
    }

    @Test func aPersonalKeyIsRefusedTemplatesAsForbiddenAndSendsNoAuthorization() async throws {
        let personal = """
                  - name: b24p
                    provider: bitrix24
                    base_url: %URL%
                    credentials: {api_key: vibe_api_demo_0000000000000000}
            """
        try await LiveStack.run(config: { $0.configYAML(extraConnections: personal.replacingOccurrences(of: "%URL%", with: $0.baseURL("bitrix24"))) })
        {
            stack, client in
            let response = try await GeoB24.get(client, "/v1/definitions?connection=b24p")
            OpenAPIValidator.shared.check(response, path: "/v1/definitions", method: "get")
            #expect(response.status == .forbidden)
            let error = try ErrorBody(response)
            #expect(error.code == "FORBIDDEN")
            #expect((error.object["upstream"] as? [String: Any])?["code"] as? String == "OAUTH_REQUIRED")
            #expect(error.object["provider"] as? String == "bitrix24")
            let call = try #require(GeoB24.received(stack.emulator("bitrix24"), "/v1/entities/bizproc-templates").first)
            #expect(GeoB24.header(call, "Authorization") == nil)
            #expect(GeoB24.header(call, "X-Api-Key") == "vibe_api_demo_0000000000000000")

            // Workflows need no session: the personal key lists them.
            let list = try await GeoB24.get(client, "/v1/instances?connection=b24p&limit=5")
            #expect(list.status == .ok)
        }
    }

    @Test func pagingThroughTheCursorSeesEveryRunningInstanceOnce() async throws {
        try await LiveStack.run { stack, client in
            let (items, pages) = try await GeoB24.allPages(client, "connection=b24&limit=20")
            let ids = items.compactMap { $0["id"] as? String }
            #expect(ids.count == 64)
            #expect(Set(ids).count == 64)
            #expect(pages == 4)
            for item in items {
                #expect(item["status"] as? String == "running")
                #expect(item["provider_status"] is NSNull)
                #expect((item["started_at"] as? String)?.hasSuffix("Z") == true)
                #expect(item["raw"] == nil)
            }
            let calls = GeoB24.received(stack.emulator("bitrix24"), Self.workflows)
            #expect(calls.allSatisfy { GeoB24.header($0, "X-Api-Key") == LiveStack.Demo.bitrixAppKey })
            #expect(calls.allSatisfy { GeoB24.header($0, "Authorization") != "Bearer \(TestKeys.acmeReadWrite)" })
        }
    }

    @Test func aStatusFilterWithoutRunningIsEmptyWithoutAnUpstreamCall() async throws {
        try await LiveStack.run { stack, client in
            let response = try await GeoB24.get(client, "/v1/instances?connection=b24&status=completed,failed")
            #expect(response.status == .ok)
            OpenAPIValidator.shared.check(response, path: "/v1/instances", method: "get")
            #expect(try GeoB24.items(response).isEmpty)
            #expect(try GeoB24.nextCursor(response) == nil)
            #expect(GeoB24.received(stack.emulator("bitrix24"), Self.workflows).isEmpty)

            let running = try await GeoB24.get(client, "/v1/instances?connection=b24&status=running,completed&limit=5")
            #expect(try GeoB24.items(running).count == 5)
        }
    }

    @Test func theDefinitionFilterIsPushedDownAsTemplateId() async throws {
        try await LiveStack.run { stack, client in
            let (items, _) = try await GeoB24.allPages(client, "definition=b24:713&limit=50")
            #expect(!items.isEmpty)
            #expect(items.allSatisfy { ($0["definition"] as? [String: Any])?["id"] as? String == "b24:713" })
            let calls = GeoB24.received(stack.emulator("bitrix24"), Self.workflows)
            #expect(calls.allSatisfy { GeoB24.query($0, "templateId") == "713" })

            stack.emulator("bitrix24").recorder.clear()
            let bad = try await GeoB24.get(client, "/v1/instances?definition=b24:deal-approval")
            #expect(bad.status == .badRequest)
            OpenAPIValidator.shared.check(bad, path: "/v1/instances", method: "get")
            #expect(try ErrorBody(bad).detailFields == ["definition"])
            #expect(GeoB24.received(stack.emulator("bitrix24"), Self.workflows).isEmpty)
        }
    }

    @Test func dateFiltersApplyLocallyAndStillPageEveryMatchOnce() async throws {
        try await LiveStack.run { _, client in
            let (all, _) = try await GeoB24.allPages(client, "connection=b24&limit=100")
            let starts = all.compactMap { ($0["started_at"] as? String).flatMap(Timestamp.parse) }.sorted()
            #expect(starts.count == 64)
            let after = starts[20]
            let before = starts[50]
            let expected = starts.filter { $0 >= after && $0 <= before }.count
            let query = "connection=b24&limit=7&started_after=\(Timestamp.format(after))&started_before=\(Timestamp.format(before))"
            let (items, _) = try await GeoB24.allPages(client, query)
            let ids = items.compactMap { $0["id"] as? String }
            #expect(ids.count == expected)
            #expect(Set(ids).count == ids.count)
            for item in items {
                let started = try #require((item["started_at"] as? String).flatMap(Timestamp.parse))
                #expect(started >= after && started <= before)
            }
        }
    }

    @Test func getScansTheRunningListAndConvertsOffsetsToUTC() async throws {
        try await LiveStack.run { _, client in
            let list = try GeoB24.items(try await GeoB24.get(client, "/v1/instances?connection=b24&limit=60"))
            let target = try #require(list.last)
            let id = try #require(target["id"] as? String)
            let response = try await GeoB24.get(client, "/v1/instances/\(id)?include=raw")
            #expect(response.status == .ok)
            OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}", method: "get")
            let detail = try GeoB24.object(response)
            #expect(detail["id"] as? String == id)
            #expect((detail["tasks"] as? [Any])?.isEmpty == true)
            let raw = try #require(detail["raw"] as? [String: Any])
            #expect("b24:" + (raw["ID"] as? String ?? "") == id)
            let wire = try #require(raw["STARTED"] as? String)
            #expect(wire.hasSuffix("+03:00"))
            let canonical = try #require(detail["started_at"] as? String)
            #expect(canonical.hasSuffix("Z"))
            #expect(Timestamp.parse(wire) == Timestamp.parse(canonical))
            #expect(wire.prefix(13) != canonical.prefix(13), "the wall-clock hour moved by the offset")
            if let document = raw["DOCUMENT_ID"] as? String, document.hasPrefix("DEAL_") {
                #expect((detail["entity"] as? [String: Any])?["id"] as? String == String(document.dropFirst(5)))
            }

            let missing = try await GeoB24.get(client, "/v1/instances/b24:69f0c2d5ade389.00000000")
            #expect(missing.status == .notFound)
            OpenAPIValidator.shared.check(missing, path: "/v1/instances/{id}", method: "get")
            #expect(try ErrorBody(missing).message.contains("running workflows only"))
        }
    }

    @Test func startSendsTemplateEntityAndParametersAndAnswersTheNewInstance() async throws {
        try await LiveStack.run { stack, client in
            let body = #"{"definition":"b24:713","entity":{"type":"deal","id":"5150"},"input":{"amount":1200,"note":"rush"}}"#
            let response = try await GeoB24.post(client, "/v1/instances", body)
            #expect(response.status == .created)
            GeoB24.checkStart(response)
            let instance = try GeoB24.object(response)
            let id = try #require(instance["id"] as? String)
            #expect(id.hasPrefix("b24:"))
            #expect(instance["status"] as? String == "running")
            #expect((instance["definition"] as? [String: Any])?["id"] as? String == "b24:713")
            #expect((instance["entity"] as? [String: Any])?["id"] as? String == "5150")

            let call = try #require(GeoB24.received(stack.emulator("bitrix24"), "/v1/workflows/start").first)
            let sent = try #require(try JSONSerialization.jsonObject(with: Data(buffer: call.body)) as? [String: Any])
            #expect(sent["templateId"] as? Int == 713)
            #expect(sent["entityType"] as? String == "deal")
            #expect(sent["entityId"] as? Int == 5150)
            #expect((sent["parameters"] as? [String: Any])?["note"] as? String == "rush")
            #expect(GeoB24.header(call, "X-Api-Key") == LiveStack.Demo.bitrixAppKey)

            let found = try await GeoB24.get(client, "/v1/instances/\(id)")
            #expect(found.status == .ok)
        }
    }

    @Test(arguments: [
        (#"{"definition":"b24:713"}"#, ["entity"]),
        (#"{"definition":"b24:713","entity":{"type":"invoice","id":"12"}}"#, ["entity.type"]),
        (#"{"definition":"b24:713","entity":{"type":"deal","id":"DEAL_5150"}}"#, ["entity.id"]),
        (#"{"definition":"b24:deal","entity":{"type":"deal","id":"5150"},"instance_id":"mine"}"#, ["definition", "instance_id"]),
    ])
    func aStartBitrix24CannotTakeIsRefusedWithoutAnUpstreamCall(body: String, fields: [String]) async throws {
        try await LiveStack.run { stack, client in
            let response = try await GeoB24.post(client, "/v1/instances", body)
            #expect(response.status == .badRequest)
            GeoB24.checkStart(response)
            let error = try ErrorBody(response)
            #expect(error.code == "INVALID_REQUEST")
            #expect(error.detailFields == fields)
            #expect(stack.emulator("bitrix24").recorder.count == 0)
        }
    }

    /// On a connection that allows `force` (`allow_force_cancel: true`; elsewhere it is refused).
    @Test func cancelDeletesWithReasonAndForceAndAnswersTheInstanceCancelled() async throws {
        let forcing = """
                  - name: b24f
                    provider: bitrix24
                    base_url: %URL%
                    allow_force_cancel: true
                    credentials: {api_key: \(LiveStack.Demo.bitrixAppKey), user_token: \(LiveStack.Demo.bitrixSession)}
            """
        try await LiveStack.run(config: { $0.configYAML(extraConnections: forcing.replacingOccurrences(of: "%URL%", with: $0.baseURL("bitrix24"))) })
        {
            stack, client in
            let started = try await GeoB24.post(client, "/v1/instances", #"{"definition":"b24f:714","entity":{"type":"lead","id":"801"}}"#)
            let id = try #require(try GeoB24.object(started)["id"] as? String)
            let response = try await GeoB24.post(client, "/v1/instances/\(id)/cancel", #"{"reason":"Duplicate lead","force":true}"#)
            #expect(response.status == .ok)
            OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}/cancel", method: "post")
            let instance = try GeoB24.object(response)
            #expect(instance["status"] as? String == "cancelled")
            #expect((instance["definition"] as? [String: Any])?["id"] as? String == "b24f:714")
            #expect(instance["started_at"] is String)

            let native = String(id.dropFirst("b24f:".count))
            let delete = try #require(stack.emulator("bitrix24").recorder.all.first { $0.method == .delete })
            #expect(delete.path == "/v1/workflows/\(native)")
            #expect(GeoB24.query(delete, "status") == "Duplicate lead")
            #expect(GeoB24.query(delete, "force") == "true")

            let gone = try await GeoB24.get(client, "/v1/instances/\(id)")
            #expect(gone.status == .notFound)

            let again = try await GeoB24.post(client, "/v1/instances/\(id)/cancel", "{}")
            #expect(again.status == .notFound)
            OpenAPIValidator.shared.check(again, path: "/v1/instances/{id}/cancel", method: "post")
            let soft = try #require(stack.emulator("bitrix24").recorder.all.last { $0.method == .delete })
            #expect(GeoB24.query(soft, "force") == nil)
            #expect(GeoB24.query(soft, "status") == nil)
        }
    }

    @Test(arguments: [
        ("/v1/instances/b24:69f0c2d5ade389.22457798/timeline", "get", "/v1/instances/{id}/timeline"),
        ("/v1/instances/b24:69f0c2d5ade389.22457798/data", "get", "/v1/instances/{id}/data"),
        ("/v1/instances/b24:69f0c2d5ade389.22457798/pause", "post", "/v1/instances/{id}/pause"),
        ("/v1/instances/b24:69f0c2d5ade389.22457798/events/approve", "post", "/v1/instances/{id}/events/{type}"),
        ("/v1/instances/b24:69f0c2d5ade389.22457798/files/a.pdf", "get", "/v1/instances/{id}/files/{name}"),
    ])
    func operationsBitrix24LacksAnswerNotSupported(uri: String, method: String, template: String) async throws {
        try await LiveStack.run { stack, client in
            let response =
                method == "get" ? try await GeoB24.get(client, uri) : try await GeoB24.post(client, uri, "{}")
            #expect(response.status == .notImplemented)
            OpenAPIValidator.shared.check(response, path: template, method: method)
            let error = try ErrorBody(response)
            #expect(error.code == "NOT_SUPPORTED")
            #expect(error.message.contains("bitrix24"))
            #expect(error.object["provider"] as? String == "bitrix24")
            #expect(stack.emulator("bitrix24").recorder.count == 0)
        }
    }
}
