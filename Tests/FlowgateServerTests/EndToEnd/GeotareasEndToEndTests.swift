import FlowgateCore
import FlowgateEmulators
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOFoundationEssentialsCompat
import Testing

/// The Geotareas adapter end to end: gateway → Geotareas emulator and back, over real sockets.
/// The emulator writes zone-less times in America/Argentina/Buenos_Aires (UTC−3), as the connection says.
@Suite struct GeotareasEndToEndTests {
    static let instances = "/apidev/v1/workflow/instances"
    static let example = "591847302948571634"
    static let onboarding = "482938470192837465"

    @Test func definitionsCarryStatusAndEveryCallCarriesTheThreeAuthHeaders() async throws {
        try await LiveStack.run { stack, client in
            let response = try await GeoB24.get(client, "/v1/definitions?connection=geo")
            #expect(response.status == .ok)
            OpenAPIValidator.shared.check(response, path: "/v1/definitions", method: "get")
            let definitions = try GeoB24.items(response)
            #expect(definitions.count == 7)
            let onboarding = try #require(definitions.first { $0["id"] as? String == "geo:\(Self.onboarding)" })
            #expect(onboarding["name"] as? String == "New Account Onboarding")
            #expect(onboarding["entity_type"] as? String == "CUENTA")
            #expect(onboarding["startable"] as? Bool == true)
            let legacy = try #require(definitions.first { $0["id"] as? String == "geo:482938470192837471" })
            #expect(legacy["status"] as? String == "inactive")
            #expect(legacy["startable"] as? Bool == false)

            let emulator = stack.emulator("geotareas")
            let login = try #require(GeoB24.received(emulator, "/apidev/v1/login").first)
            #expect(GeoB24.header(login, "tenant") == LiveStack.Demo.geotareasTenant)
            let sent = try #require(try JSONSerialization.jsonObject(with: Data(buffer: login.body)) as? [String: Any])
            #expect(sent["email"] as? String == LiveStack.Demo.geotareasEmail)
            let call = try #require(GeoB24.received(emulator, "/apidev/v1/workflow/definitions").first)
            #expect(GeoB24.query(call, "status") == "all")
            #expect(GeoB24.header(call, "X-API-Key") == LiveStack.Demo.geotareasKey)
            #expect(GeoB24.header(call, "tenant") == LiveStack.Demo.geotareasTenant)
            let authorization = try #require(GeoB24.header(call, "Authorization"))
            #expect(authorization.hasPrefix("Bearer ey"))
            #expect(!authorization.contains(TestKeys.acmeReadWrite))
        }
    }

    @Test func pagingThroughTheCursorSeesEveryInstanceOnce() async throws {
        try await LiveStack.run { stack, client in
            let (items, pages) = try await GeoB24.allPages(client, "connection=geo&limit=10")
            let ids = items.compactMap { $0["id"] as? String }
            #expect(ids.count == 36)
            #expect(Set(ids).count == 36)
            #expect(pages == 4)
            let calls = GeoB24.received(stack.emulator("geotareas"), Self.instances)
            #expect(calls.map { GeoB24.query($0, "offset") } == ["0", "10", "20", "30"])
            #expect(calls.allSatisfy { GeoB24.query($0, "limit") == "10" })
            #expect(GeoB24.received(stack.emulator("geotareas"), "/apidev/v1/login").count == 1)
        }
    }

    @Test func statusFiltersPushDownAsGeotareasWords() async throws {
        try await LiveStack.run { stack, client in
            let emulator = stack.emulator("geotareas")
            let (running, _) = try await GeoB24.allPages(client, "connection=geo&status=running&limit=100")
            #expect(!running.isEmpty)
            #expect(running.allSatisfy { $0["status"] as? String == "running" && $0["provider_status"] as? String == "RUNNING" })
            #expect(GeoB24.query(try #require(GeoB24.received(emulator, Self.instances).last), "status") == "RUNNING")

            let (failed, _) = try await GeoB24.allPages(client, "connection=geo&status=failed&limit=100")
            #expect(!failed.isEmpty)
            #expect(failed.allSatisfy { $0["provider_status"] as? String == "ERROR" })
            #expect(GeoB24.query(try #require(GeoB24.received(emulator, Self.instances).last), "status") == "ERROR")

            // Several statuses: one upstream query without status, filtered by the gateway.
            let (both, _) = try await GeoB24.allPages(client, "connection=geo&status=running,failed&limit=7")
            #expect(both.count == running.count + failed.count)
            #expect(Set(both.compactMap { $0["id"] as? String }).count == both.count)

            emulator.recorder.clear()
            let none = try await GeoB24.get(client, "/v1/instances?connection=geo&status=waiting,paused")
            #expect(none.status == .ok)
            OpenAPIValidator.shared.check(none, path: "/v1/instances", method: "get")
            #expect(try GeoB24.items(none).isEmpty)
            #expect(try GeoB24.nextCursor(none) == nil)
            #expect(emulator.recorder.count == 0)
        }
    }

    @Test func definitionAndStartDateFiltersPushDownInTheConnectionZone() async throws {
        try await LiveStack.run { stack, client in
            let emulator = stack.emulator("geotareas")
            let (items, _) = try await GeoB24.allPages(
                client, "definition=geo:\(Self.onboarding)&started_after=2026-03-15T13:00:00Z&started_before=2026-03-16T00:00:00.5Z"
            )
            #expect(items.compactMap { $0["id"] as? String } == ["geo:\(Self.example)"])
            let call = try #require(GeoB24.received(emulator, Self.instances).last)
            #expect(GeoB24.query(call, "definition_id") == Self.onboarding)
            #expect(GeoB24.query(call, "startdate") == "2026-03-15T10:00:00")
            #expect(GeoB24.query(call, "enddate") == "2026-03-15T21:00:00")

            let (before, _) = try await GeoB24.allPages(client, "connection=geo&started_before=2026-03-15T12:59:59Z&limit=100")
            #expect(!before.contains { $0["id"] as? String == "geo:\(Self.example)" })
            #expect(GeoB24.query(try #require(GeoB24.received(emulator, Self.instances).last), "enddate") == "2026-03-15T09:59:59")

            emulator.recorder.clear()
            let bad = try await GeoB24.get(client, "/v1/instances?definition=geo:onboarding")
            #expect(bad.status == .badRequest)
            OpenAPIValidator.shared.check(bad, path: "/v1/instances", method: "get")
            #expect(try ErrorBody(bad).detailFields == ["definition"])
            #expect(emulator.recorder.count == 0)
        }
    }

    @Test func getMapsTheDetailWithTasksCurrentStepAndUTCTimes() async throws {
        try await LiveStack.run { _, client in
            let response = try await GeoB24.get(client, "/v1/instances/geo:\(Self.example)?include=raw")
            #expect(response.status == .ok)
            OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}", method: "get")
            let detail = try GeoB24.object(response)
            #expect(detail["id"] as? String == "geo:\(Self.example)")
            #expect(detail["started_at"] as? String == "2026-03-15T13:00:00Z")
            #expect(detail["status"] as? String == "running")
            #expect((detail["definition"] as? [String: Any])?["id"] as? String == "geo:\(Self.onboarding)")
            let entity = try #require(detail["entity"] as? [String: Any])
            #expect(entity["type"] as? String == "CUENTA")
            #expect(entity["id"] as? String == "738291047382910473")
            #expect(entity["label"] as? String == "Acme Corp")
            let step = try #require(detail["current_step"] as? [String: Any])
            #expect((step["id"] as? String)?.hasPrefix("node_") == true)
            #expect(step["name"] is String)
            let tasks = try #require(detail["tasks"] as? [[String: Any]])
            #expect(!tasks.isEmpty)
            #expect(tasks.allSatisfy { ["pending", "completed"].contains($0["status"] as? String ?? "") })
            #expect(detail["pending_tasks"] as? Int == tasks.filter { $0["status"] as? String == "pending" }.count)
            let raw = try #require(detail["raw"] as? [String: Any])
            #expect(raw["id"] as? String == Self.example)
            #expect(raw["started_at"] as? String == "2026-03-15T10:00:00")

            let list = try GeoB24.items(try await GeoB24.get(client, "/v1/instances?connection=geo&limit=1"))
            let listed = try #require(list.first)
            #expect(listed["id"] as? String == "geo:\(Self.example)")
            #expect((listed["current_step"] as? [String: Any])?["id"] is NSNull)
        }
    }

    @Test func malformedAndUnknownIdsOnEveryInstanceRoute() async throws {
        try await LiveStack.run { stack, client in
            let emulator = stack.emulator("geotareas")
            for (uri, template) in [
                ("/v1/instances/geo:abc", "/v1/instances/{id}"), ("/v1/instances/geo:12.5/timeline", "/v1/instances/{id}/timeline"),
                ("/v1/instances/geo:x/data", "/v1/instances/{id}/data"),
            ] {
                let response = try await GeoB24.get(client, uri)
                #expect(response.status == .badRequest)
                OpenAPIValidator.shared.check(response, path: template, method: "get")
                #expect(try ErrorBody(response).detailFields == ["id"])
            }
            let cancel = try await GeoB24.post(client, "/v1/instances/geo:abc/cancel", "{}")
            #expect(cancel.status == .badRequest)
            #expect(emulator.recorder.count == 0)

            let missing = try await GeoB24.get(client, "/v1/instances/geo:123")
            #expect(missing.status == .notFound)
            OpenAPIValidator.shared.check(missing, path: "/v1/instances/{id}", method: "get")
            #expect((try ErrorBody(missing).object["upstream"] as? [String: Any])?["code"] as? String == "NOT_FOUND")
        }
    }

    @Test func startSendsDefinitionAndEntityAndDefaultsToNinguna() async throws {
        try await LiveStack.run { stack, client in
            let body = #"{"definition":"geo:\#(Self.onboarding)","entity":{"type":"CUENTA","id":"738291047382910473"},"input":{}}"#
            let response = try await GeoB24.post(client, "/v1/instances", body)
            #expect(response.status == .created)
            GeoB24.checkStart(response)
            let instance = try GeoB24.object(response)
            #expect(instance["id"] as? String == "geo:591847302948571635")
            #expect(instance["status"] as? String == "running")
            #expect(instance["provider_status"] as? String == "RUNNING")
            #expect((instance["current_step"] as? [String: Any])?["name"] is String)

            let plain = try await GeoB24.post(client, "/v1/instances", #"{"definition":"geo:482938470192837470"}"#)
            #expect(plain.status == .created)
            let starts = stack.emulator("geotareas").recorder.all.filter { $0.method == .post && $0.path == Self.instances }
            #expect(starts.count == 2)
            let first = try #require(try JSONSerialization.jsonObject(with: Data(buffer: starts[0].body)) as? [String: Any])
            #expect(first.keys.sorted() == ["definition_id", "entity_id", "entity_type"])
            #expect(first["definition_id"] as? String == Self.onboarding)
            #expect(first["entity_type"] as? String == "CUENTA")
            #expect(first["entity_id"] as? String == "738291047382910473")
            let second = try #require(try JSONSerialization.jsonObject(with: Data(buffer: starts[1].body)) as? [String: Any])
            #expect(second.keys.sorted() == ["definition_id", "entity_type"])
            #expect(second["entity_type"] as? String == "NINGUNA")

            let detail = try await GeoB24.get(client, "/v1/instances/geo:591847302948571635")
            #expect(detail.status == .ok)
        }
    }

    @Test(arguments: [
        (#"{"definition":"geo:482938470192837465","input":{"priority":"high"}}"#, ["input"]),
        (#"{"definition":"geo:onboarding","entity":{"type":"ACCOUNT","id":"1"}}"#, ["definition", "entity.type"]),
        (#"{"definition":"geo:482938470192837465","instance_id":"mine"}"#, ["instance_id"]),
    ])
    func aStartGeotareasCannotTakeIsRefusedWithoutAnUpstreamCall(body: String, fields: [String]) async throws {
        try await LiveStack.run { stack, client in
            let response = try await GeoB24.post(client, "/v1/instances", body)
            #expect(response.status == .badRequest)
            GeoB24.checkStart(response)
            #expect(try ErrorBody(response).detailFields == fields)
            #expect(stack.emulator("geotareas").recorder.count == 0)
        }
    }

    @Test func aStartTheUpstreamRefusesIsUnprocessable() async throws {
        try await LiveStack.run { _, client in
            // Onboarding runs on accounts; Geotareas refuses it on a device.
            let response = try await GeoB24.post(
                client, "/v1/instances", #"{"definition":"geo:\#(Self.onboarding)","entity":{"type":"DISPOSITIVO","id":"9"}}"#)
            #expect(response.status == .unprocessableContent)
            GeoB24.checkStart(response)
            #expect((try ErrorBody(response).object["upstream"] as? [String: Any])?["code"] as? String == "VALIDATION_ERROR")
        }
    }

    @Test func cancelSendsTheDefaultReasonAndAnswersTheInstanceCancelled() async throws {
        try await LiveStack.run { stack, client in
            let response = try await GeoB24.post(client, "/v1/instances/geo:\(Self.example)/cancel", "{}")
            #expect(response.status == .ok)
            OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}/cancel", method: "post")
            let instance = try GeoB24.object(response)
            #expect(instance["status"] as? String == "cancelled")
            #expect(instance["provider_status"] as? String == "CANCELLED")
            #expect((instance["ended_at"] as? String)?.hasSuffix("Z") == true)
            #expect(instance["started_at"] as? String == "2026-03-15T13:00:00Z")
            #expect((instance["definition"] as? [String: Any])?["name"] as? String == "New Account Onboarding")
            #expect(instance["pending_tasks"] as? Int == 0)
            let cancel = try #require(stack.emulator("geotareas").recorder.all.first { $0.path.hasSuffix("/cancel") })
            let sent = try #require(try JSONSerialization.jsonObject(with: Data(buffer: cancel.body)) as? [String: Any])
            #expect(sent["reason"] as? String == "Cancelled via Flowgate")

            let again = try await GeoB24.post(client, "/v1/instances/geo:\(Self.example)/cancel", #"{"reason":"Twice"}"#)
            #expect(again.status == .unprocessableContent)
            OpenAPIValidator.shared.check(again, path: "/v1/instances/{id}/cancel", method: "post")

            let unknown = try await GeoB24.post(client, "/v1/instances/geo:123/cancel", #"{"reason":"Nope"}"#)
            #expect(unknown.status == .notFound)
            #expect(stack.emulator("geotareas").recorder.all.filter { $0.path.hasSuffix("/cancel") }.count == 2)
        }
    }

    @Test func timelineEventsMapOneToOneOldestFirst() async throws {
        try await LiveStack.run { _, client in
            let response = try await GeoB24.get(client, "/v1/instances/geo:\(Self.example)/timeline")
            #expect(response.status == .ok)
            OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}/timeline", method: "get")
            let events = try GeoB24.items(response)
            #expect(events.first?["type"] as? String == "started")
            #expect(events.first?["at"] as? String == "2026-03-15T13:00:00Z")
            let times = events.compactMap { ($0["at"] as? String).flatMap(Timestamp.parse) }
            #expect(times == times.sorted())
            let completed = try #require(events.first { $0["type"] as? String == "step_completed" })
            #expect(completed["actor"] as? String == "jdoe")
            #expect(completed["step"] as? String == (completed["details"] as? [String: Any])?["step_name"] as? String)
        }
    }

    @Test func capturedDataBecomesStepsOfFieldValues() async throws {
        try await LiveStack.run { _, client in
            let response = try await GeoB24.get(client, "/v1/instances/geo:\(Self.example)/data")
            #expect(response.status == .ok)
            OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}/data", method: "get")
            let data = try GeoB24.object(response)
            #expect(data["id"] as? String == "geo:\(Self.example)")
            let steps = try #require(data["steps"] as? [[String: Any]])
            let first = try #require(steps.first)
            #expect((first["step"] as? [String: Any])?["name"] is String)
            #expect((first["data"] as? [String: Any])?.isEmpty == false)
        }
    }

    @Test(arguments: [
        ("/v1/instances/geo:591847302948571634/pause", "post", "/v1/instances/{id}/pause"),
        ("/v1/instances/geo:591847302948571634/resume", "post", "/v1/instances/{id}/resume"),
        ("/v1/instances/geo:591847302948571634/events/approve", "post", "/v1/instances/{id}/events/{type}"),
        ("/v1/instances/geo:591847302948571634/files/a.pdf", "get", "/v1/instances/{id}/files/{name}"),
    ])
    func operationsGeotareasLacksAnswerNotSupported(uri: String, method: String, template: String) async throws {
        try await LiveStack.run { stack, client in
            let response = method == "get" ? try await GeoB24.get(client, uri) : try await GeoB24.post(client, uri, "{}")
            #expect(response.status == .notImplemented)
            OpenAPIValidator.shared.check(response, path: template, method: method)
            let error = try ErrorBody(response)
            #expect(error.code == "NOT_SUPPORTED")
            #expect(error.message.contains("geotareas"))
            #expect(stack.emulator("geotareas").recorder.count == 0)
        }
    }
}
