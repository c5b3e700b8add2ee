import FlowgateEmulators
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

struct CloudflareInstanceTests {
    @Test func getInstanceShowsTheStepLog() async throws {
        try await CloudflareEmulator(now: TestClock().reader).makeApplication(port: 0).test(.router) { client in
            let session = CloudflareSession(client: client)
            let waiting = try await session.result("\(CloudflareSession.orders)/order-10230")
            #expect(try waiting.string("status") == "waiting")
            #expect(try waiting.object("params").string("orderId") == "10230")
            #expect(try waiting.object("trigger").string("source") == "api")
            #expect(try waiting.string("versionId").wholeMatch(of: CloudflareListTests.uuid) != nil, "camelCase versionId")
            #expect(
                waiting.isNull("output") && waiting.isNull("error") && waiting.isNull("success") && waiting.isNull("end")
                    && waiting.isNull("rollback"))
            #expect(try waiting.string("queued").wholeMatch(of: CloudflareListTests.utcMillis) != nil)
            let steps = try waiting.array("steps")
            #expect(try waiting.int("step_count") == 4)
            #expect(try steps.map { try $0.string("type") } == ["step", "step", "step", "waitForEvent"])
            let charge = steps[1]
            #expect(try charge.string("name") == "charge payment")
            #expect(try charge.bool("success"))
            #expect(try charge.string("output") == #"{"chargeId":"ch_3PZx81","status":"succeeded"}"#, "step output is a string")
            #expect(try charge.array("attempts").count == 1)
            #expect(try charge.object("config").object("retries").int("limit") == 5)
            #expect(try charge.object("config").string("timeout") == "10 minutes")
            let wait = steps[3]
            #expect(try wait.string("event_type") == "warehouse-picked")
            #expect(try wait.bool("finished") == false)
            #expect(wait.isNull("error"))

            let errored = try await session.result("\(CloudflareSession.orders)/order-10222")
            #expect(try errored.string("status") == "errored")
            #expect(try errored.bool("success") == false)
            #expect(try errored.object("error").string("name") == "Error")
            let failed = try #require(try errored.array("steps").last)
            #expect(try failed.array("attempts").count == 6)
            #expect(try failed.array("attempts").allSatisfy { try $0.bool("success") == false })

            let complete = try await session.result("\(CloudflareSession.orders)/order-10220")
            #expect(try complete.string("output") == "fulfilled")
            #expect(try complete.bool("success"))
            let simple = try await session.result("\(CloudflareSession.orders)/order-10220?simple=true")
            #expect(simple["steps"] == nil)
            #expect(try simple.int("step_count") == 5)
            let desc = try await session.result("\(CloudflareSession.orders)/order-10220?order=desc")
            #expect(try desc.array("steps").first?.string("name") == "send confirmation email")

            let cron = try await session.list("\(CloudflareSession.base)/nightly-report/instances?per_page=1")
            let cronID = try #require(try cron.items.first?.string("id"))
            #expect(cronID.wholeMatch(of: #/cf_[0-9a-f]{64}/#) != nil)
            let scheduled = try await session.result("\(CloudflareSession.base)/nightly-report/instances/\(cronID)")
            #expect(try scheduled.object("schedule").string("cron") == "0 2 * * *")
            #expect(try scheduled.object("trigger").string("source") == "cron")
        }
    }

    @Test func createQueuesAnInstanceThatLaterReadsSee() async throws {
        let clock = TestClock()
        try await CloudflareEmulator(now: clock.reader).makeApplication(port: 0).test(.router) { client in
            let session = CloudflareSession(client: client)
            let response = try await session.send(
                CloudflareSession.orders, .post, #"{"instance_id":"order-20001","params":{"orderId":"20001","total":12.5}}"#)
            let created = try CloudflareSuccess(response).result()
            #expect(try created.string("id") == "order-20001")
            #expect(try created.string("status") == "queued")
            #expect(try created.string("workflow_id").wholeMatch(of: CloudflareListTests.uuid) != nil)
            #expect(try created.string("version_id").wholeMatch(of: CloudflareListTests.uuid) != nil)
            let read = try await session.result("\(CloudflareSession.orders)/order-20001")
            #expect(try read.string("status") == "queued")
            #expect(try read.string("queued") == "2026-03-20T15:00:00.000Z")
            #expect(try read.object("params").string("orderId") == "20001")
            #expect(read.isNull("start"))
            let list = try await session.list("\(CloudflareSession.orders)?per_page=1")
            #expect(try list.items.first?.string("id") == "order-20001")
            #expect(try list.info.int("total_count") == 13)

            let generated = try CloudflareSuccess(try await session.send(CloudflareSession.orders, .post, "")).result()
            #expect(try generated.string("id").wholeMatch(of: CloudflareListTests.uuid) != nil, "an id is generated when none is given")
            let noParams = try await session.result("\(CloudflareSession.orders)/\(try generated.string("id"))")
            #expect(try noParams.object("params").keys.isEmpty)
            let stringParams = try await session.send(CloudflareSession.orders, .post, #"{"params":"{\"orderId\":\"1\"}"}"#)
            #expect(stringParams.status == .ok, "CF-TS sends params as a JSON string")
        }
    }

    @Test func createRejectsDuplicatesAndBadIdsWithTheDocumentedCodes() async throws {
        try await CloudflareEmulator(now: TestClock().reader).makeApplication(port: 0).test(.router) { client in
            let session = CloudflareSession(client: client)
            let duplicate = try CloudflareFailure(try await session.send(CloudflareSession.orders, .post, #"{"instance_id":"order-10220"}"#))
            #expect(duplicate == CloudflareFailure(400, 10405, "workflows.api.error.instance.already_exists"))
            let bodies = [
                #"{"instance_id":"-leading-dash"}"#, #"{"instance_id":"has space"}"#, #"{"instance_id":"\#(String(repeating: "a", count: 101))"}"#,
                #"{"instance_id":"cf_\#(String(repeating: "ab", count: 32))"}"#, #"{"instance_id":42}"#, #"{"location_hint":"mars"}"#, "not json",
                "[1]",
            ]
            for body in bodies {
                let failure = try CloudflareFailure(try await session.send(CloudflareSession.orders, .post, body))
                #expect(failure == CloudflareFailure(400, 10002, "workflows.api.error.body"), "\(body.prefix(30))")
            }
            let unknown = try CloudflareFailure(try await session.send("\(CloudflareSession.base)/nope/instances", .post, "{}"))
            #expect(unknown.code == 10200)
        }
    }

    @Test func batchCreatesAllOrNone() async throws {
        try await CloudflareEmulator(now: TestClock().reader).makeApplication(port: 0).test(.router) { client in
            let session = CloudflareSession(client: client)
            let batch = "\(CloudflareSession.orders)/batch"
            let created = try CloudflareSuccess(
                try await session.send(batch, .post, #"[{"instance_id":"b-1"},{"instance_id":"b-2","params":{"x":1}}]"#))
            #expect(try created.body.array("result").map { try $0.string("id") } == ["b-1", "b-2"])
            let twice = try CloudflareFailure(try await session.send(batch, .post, #"[{"instance_id":"b-3"},{"instance_id":"b-3"}]"#))
            #expect(twice == CloudflareFailure(400, 10415, "workflows.api.error.instance.duplicate_in_batch"))
            let existing = try CloudflareFailure(try await session.send(batch, .post, #"[{"instance_id":"b-4"},{"instance_id":"b-1"}]"#))
            #expect(existing.code == 10405)
            #expect(
                try CloudflareFailure(try await session.get("\(CloudflareSession.orders)/b-4")).code == 10400, "nothing of a failed batch is created")
            #expect(try CloudflareFailure(try await session.send(batch, .post, "[]")).code == 10002)
        }
    }
}
