import FlowgateEmulators
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

struct GeotareasInstanceTests {
    static var zoneless: Regex<Substring> { #/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/# }
    static var bigInt: Regex<Substring> { #/^\d{18}$/# }

    @Test func listPagesWithOffsetAndLimitNewestFirst() async throws {
        try await GeotareasEmulator(now: TestClock().reader).makeApplication(port: 0).test(.router) { client in
            let session = try await GeotareasSession.login(client)
            let first = try await session.list(GeotareasSession.instances)
            #expect(try first.meta.int("total") == 36)
            #expect(try first.meta.int("limit") == 25)
            #expect(try first.meta.int("offset") == 0)
            #expect(first.items.count == 25)
            let newest = try #require(first.items.first)
            #expect(try newest.string("id") == GeotareasSession.example)
            #expect(try newest.string("definition_id") == "482938470192837465")
            #expect(try newest.string("definition_name") == "New Account Onboarding")
            #expect(try newest.string("status") == "RUNNING")
            #expect(try newest.string("entity_type") == "CUENTA")
            #expect(try newest.string("entity_id") == "738291047382910473")
            #expect(try newest.string("entity_label") == "Acme Corp")
            #expect(try newest.string("current_step") == "Send Welcome Email", "a string in the list")
            #expect(try newest.string("started_at") == "2026-03-15T10:00:00")
            #expect(newest.isNull("ended_at") && newest.isNull("cancelled_at"))
            #expect(try newest.int("pending_tasks_count") == 1)
            for item in first.items {
                #expect(try item.string("id").wholeMatch(of: Self.bigInt) != nil)
                #expect(try item.string("started_at").wholeMatch(of: Self.zoneless) != nil)
            }
            let second = try await session.list("\(GeotareasSession.instances)?limit=25&offset=25")
            #expect(second.items.count == 11)
            #expect(try second.meta.int("offset") == 25)
            let ids = Set(try (first.items + second.items).map { try $0.string("id") })
            #expect(ids.count == 36, "pages do not overlap")
            let small = try await session.list("\(GeotareasSession.instances)?limit=10&offset=30")
            #expect(small.items.count == 6)
            #expect(try small.meta.int("limit") == 10)
        }
    }

    @Test func listFiltersByStatusDefinitionEntityAndStartDate() async throws {
        try await GeotareasEmulator(now: TestClock().reader).makeApplication(port: 0).test(.router) { client in
            let session = try await GeotareasSession.login(client)
            var total = 0
            for status in ["RUNNING", "COMPLETED", "CANCELLED", "ERROR"] {
                let page = try await session.list("\(GeotareasSession.instances)?status=\(status)&limit=100")
                #expect(!page.items.isEmpty, "the seed has \(status) instances")
                #expect(try page.items.allSatisfy { try $0.string("status") == status })
                for item in page.items where status == "COMPLETED" || status == "CANCELLED" {
                    #expect(item.isNull("current_step"), "null once completed or cancelled")
                    #expect(!item.isNull("ended_at"))
                }
                total += try page.meta.int("total")
            }
            #expect(total == 36)
            let onboarding = try await session.list("\(GeotareasSession.instances)?definition_id=482938470192837465&limit=100")
            #expect(try onboarding.items.allSatisfy { try $0.string("definition_id") == "482938470192837465" })
            #expect(try onboarding.meta.int("total") == onboarding.items.count)
            let accounts = try await session.list("\(GeotareasSession.instances)?entity_type=CUENTA&entity_id=738291047382910473")
            #expect(try accounts.items.allSatisfy { try $0.string("entity_label") == "Acme Corp" })
            let march = try await session.list("\(GeotareasSession.instances)?startdate=2026-03-01T00:00:00&enddate=2026-03-15&limit=100")
            #expect(!march.items.isEmpty)
            #expect(
                try march.items.allSatisfy {
                    try $0.string("started_at") >= "2026-03-01T00:00:00" && $0.string("started_at") <= "2026-03-15T23:59:59"
                })
            let exact = try await session.list("\(GeotareasSession.instances)?startdate=2026-03-15T10:00:00&enddate=2026-03-15T10:00:00")
            #expect(try exact.items.map { try $0.string("id") } == [GeotareasSession.example], "bounds are inclusive and zone-less local")
        }
    }

    @Test func invalidListParametersAreValidationErrors() async throws {
        try await GeotareasEmulator(now: TestClock().reader).makeApplication(port: 0).test(.router) { client in
            let session = try await GeotareasSession.login(client)
            for query in [
                "status=running", "status=PAUSED", "limit=0", "limit=101", "offset=-1", "limit=ten", "entity_type=ACCOUNT",
                "definition_id=1234567890123456789012345678901", "startdate=yesterday", "enddate=2026-13-01",
            ] {
                let failure = try GeotareasFailure(try await session.get("\(GeotareasSession.instances)?\(query)"))
                #expect(failure.status == 400 && failure.code == "VALIDATION_ERROR", "\(query)")
            }
        }
    }

    @Test func detailTimelineAndCapturedDataOfTheSeedExample() async throws {
        try await GeotareasEmulator(now: TestClock().reader).makeApplication(port: 0).test(.router) { client in
            let session = try await GeotareasSession.login(client)
            let detail = try await session.data("\(GeotareasSession.instances)/\(GeotareasSession.example)")
            #expect(try detail.object("current_step").string("node_id") == "node_d4e5f6", "an object in the detail")
            #expect(try detail.object("current_step").string("name") == "Send Welcome Email")
            #expect(try detail.string("trigger_type") == "manual")
            #expect(detail.isNull("cancelled_by") && detail.isNull("cancel_reason") && detail.isNull("ended_at"))
            let tasks = try detail.array("tasks")
            #expect(tasks.count == 2)
            #expect(try tasks[0].string("step_name") == "Verify Contact Information")
            #expect(try tasks[0].string("status") == "COMPLETED")
            #expect(try tasks[0].string("assigned_to") == "jdoe")
            #expect(try tasks[0].string("result") == "approved")
            #expect(try tasks[0].string("completed_at") == "2026-03-15T11:30:00")
            #expect(try tasks[1].string("status") == "IN_PROGRESS")
            #expect(try tasks[1].string("assigned_to") == "Sales Team")
            #expect(tasks[1].isNull("result") && tasks[1].isNull("completed_at"))
            #expect(try tasks[0].string("id").wholeMatch(of: Self.bigInt) != nil)

            let timeline = try JSONBody(try await session.get("\(GeotareasSession.instances)/\(GeotareasSession.example)/timeline")).array("data")
            #expect(try timeline.map { try $0.string("event") } == ["started", "step_started", "step_completed", "step_started"])
            #expect(try timeline[0].string("datetime") == "2026-03-15T10:00:00")
            #expect(try timeline[0].string("actor") == "jdoe")
            #expect(timeline[0].isNull("details"))
            #expect(try timeline[1].string("datetime") == "2026-03-15T10:00:01")
            #expect(try timeline[1].object("details").string("assigned_to") == "jdoe")
            #expect(try timeline[2].object("details").string("result_code") == "approved")

            let captured = try JSONBody(try await session.get("\(GeotareasSession.instances)/\(GeotareasSession.example)/captured-data")).array(
                "data")
            #expect(captured.count == 1)
            #expect(try captured[0].string("step_name") == "Verify Contact Information")
            #expect(try captured[0].string("completed_by") == "jdoe")
            #expect(try captured[0].string("result_label") == "Approved")
            let fields = try captured[0].array("fields")
            #expect(try fields.map { try $0.string("name") } == ["contact_verified", "phone_confirmed", "verification_notes"])
            #expect(try fields[0].string("type") == "boolean")
            #expect(try fields[0].bool("value") == true)
            #expect(try fields[2].string("value") == "Confirmed via phone call.")

            for path in ["", "/timeline", "/captured-data"] {
                let missing = try GeotareasFailure(try await session.get("\(GeotareasSession.instances)/591847302948570000\(path)"))
                #expect(missing.status == 404 && missing.code == "NOT_FOUND")
            }
        }
    }

    @Test func startAddsARunningInstanceThatLaterReadsSee() async throws {
        let clock = TestClock()
        try await GeotareasEmulator(now: clock.reader).makeApplication(port: 0).test(.router) { client in
            let session = try await GeotareasSession.login(client)
            let response = try await session.post(
                GeotareasSession.instances, #"{"definition_id":"482938470192837465","entity_type":"CUENTA","entity_id":"738291047382910481"}"#
            )
            #expect(response.status == .created)
            let body = try JSONBody(response)
            #expect(try body.object("meta").keys.isEmpty)
            let started = try body.object("data")
            #expect(try started.string("instance_id") == "591847302948571635", "the next id, as in the documented example")
            #expect(try started.string("status") == "RUNNING")
            #expect(try started.string("current_step") == "Verify Contact Information")

            let detail = try await session.data("\(GeotareasSession.instances)/591847302948571635")
            #expect(try detail.string("started_at") == "2026-03-20T12:00:00", "15:00 UTC is noon in Buenos Aires, written without a zone")
            #expect(try detail.string("entity_label") == "Globex Argentina S.A.")
            #expect(try detail.array("tasks").map { try $0.string("status") } == ["PENDING"])
            let list = try await session.list("\(GeotareasSession.instances)?limit=1")
            #expect(try list.meta.int("total") == 37)
            #expect(try list.items.first?.string("id") == "591847302948571635")
        }
    }

    @Test func startRejectsBadBodiesAsDocumented() async throws {
        let clock = TestClock()
        try await GeotareasEmulator(now: clock.reader).makeApplication(port: 0).test(.router) { client in
            let session = try await GeotareasSession.login(client)
            let cases: [(String, Int, String)] = [
                (#"{"definition_id":"482938470192837465"}"#, 400, "VALIDATION_ERROR"),
                (#"{"entity_type":"CUENTA"}"#, 400, "VALIDATION_ERROR"),
                (#"{"definition_id":"482938470192837465","entity_type":"ACCOUNT"}"#, 400, "VALIDATION_ERROR"),
                (#"{"definition_id":"482938470192837465","entity_type":"CUENTA","variables":{"a":1}}"#, 400, "VALIDATION_ERROR"),
                (
                    #"{"definition_id":"482938470192837465","entity_type":"CUENTA","entity_id":"1234567890123456789012345678901"}"#, 400,
                    "VALIDATION_ERROR"
                ),
                (#"{"definition_id":482938470192837465,"entity_type":"CUENTA"}"#, 400, "VALIDATION_ERROR"),
                (#"{"definition_id":"482938470192837471","entity_type":"NINGUNA"}"#, 400, "VALIDATION_ERROR"),
                (#"{"definition_id":"482938470192837465","entity_type":"TAREA"}"#, 400, "VALIDATION_ERROR"),
                (#"{"definition_id":"999999999999999999","entity_type":"CUENTA"}"#, 404, "NOT_FOUND"),
                ("not json", 400, "VALIDATION_ERROR"),
            ]
            for (body, status, code) in cases {
                let failure = try GeotareasFailure(try await session.post(GeotareasSession.instances, body))
                #expect(failure.status == status && failure.code == code, "\(body)")
            }
            clock.advance(seconds: 60)  // ten writes a minute
            var headers = session.headers
            headers[.contentType] = nil
            let noType = try await session.post(
                GeotareasSession.instances, #"{"definition_id":"482938470192837465","entity_type":"CUENTA"}"#, headers: headers)
            #expect(try GeotareasFailure(noType).code == "BAD_REQUEST")
            #expect(try await session.list(GeotareasSession.instances).meta.int("total") == 36, "nothing was started")
        }
    }

    @Test func cancelNeedsAReasonThenLaterReadsSeeTheCancellation() async throws {
        let clock = TestClock()
        try await GeotareasEmulator(now: clock.reader).makeApplication(port: 0).test(.router) { client in
            let session = try await GeotareasSession.login(client)
            let uri = "\(GeotareasSession.instances)/\(GeotareasSession.example)/cancel"
            for body in ["{}", #"{"reason":""}"#, #"{"reason":null}"#, #"{"reason":"\#(String(repeating: "x", count: 501))"}"#] {
                let failure = try GeotareasFailure(try await session.post(uri, body))
                #expect(failure.status == 400 && failure.code == "VALIDATION_ERROR", "\(body.prefix(20))")
            }
            #expect(try GeotareasFailure(try await session.post(uri, "{}")).message == "reason is required.")
            clock.advance(seconds: 60)
            let response = try await session.post(uri, #"{"reason":"Account onboarding no longer needed — duplicate."}"#)
            #expect(response.status == .ok)
            let data = try JSONBody(response).object("data")
            #expect(try data.string("instance_id") == GeotareasSession.example)
            #expect(try data.string("status") == "CANCELLED")
            #expect(try data.string("cancelled_at") == "2026-03-20T12:01:00")

            let detail = try await session.data("\(GeotareasSession.instances)/\(GeotareasSession.example)")
            #expect(try detail.string("status") == "CANCELLED")
            #expect(try detail.string("cancel_reason") == "Account onboarding no longer needed — duplicate.")
            #expect(try detail.string("cancelled_by") == "demo")
            #expect(try detail.string("cancelled_at") == "2026-03-20T12:01:00")
            #expect(detail.isNull("current_step"))
            #expect(try detail.array("tasks").allSatisfy { try $0.string("status") == "COMPLETED" }, "pending tasks are closed")
            let item = try #require(try await session.list("\(GeotareasSession.instances)?limit=1").items.first)
            #expect(try item.int("pending_tasks_count") == 0)
            let timeline = try JSONBody(try await session.get("\(GeotareasSession.instances)/\(GeotareasSession.example)/timeline")).array("data")
            #expect(try timeline.last?.string("event") == "cancelled")

            let again = try GeotareasFailure(try await session.post(uri, #"{"reason":"again"}"#))
            #expect(again.status == 400 && again.code == "VALIDATION_ERROR", "[GAP] cancelling an ended instance")
            let missing = try GeotareasFailure(try await session.post("\(GeotareasSession.instances)/591847302948570000/cancel", #"{"reason":"x"}"#))
            #expect(missing.code == "NOT_FOUND")
        }
    }
}
