import FlowgateEmulators
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

struct CloudflareStatusTests {
    func patch(_ session: CloudflareSession, _ id: String, _ status: String) async throws -> TestResponse {
        try await session.send("\(CloudflareSession.orders)/\(id)/status", .patch, #"{"status":"\#(status)"}"#)
    }

    @Test func pauseResumeAndTerminateChangeWhatLaterReadsSee() async throws {
        let clock = TestClock()
        try await CloudflareEmulator(now: clock.reader).makeApplication(port: 0).test(.router) { client in
            let session = CloudflareSession(client: client)
            let paused = try CloudflareSuccess(try await patch(session, "order-10228", "pause")).result()
            #expect(try paused.string("status") == "paused")
            #expect(try paused.string("timestamp") == "2026-03-20T15:00:00.000Z")
            #expect(try await session.result("\(CloudflareSession.orders)/order-10228").string("status") == "paused")
            let again = try CloudflareFailure(try await patch(session, "order-10228", "pause"))
            #expect(again == CloudflareFailure(400, 10401, "workflows.api.error.instance.cannot_pause"))
            let resumed = try CloudflareSuccess(try await patch(session, "order-10228", "resume")).result()
            #expect(try resumed.string("status") == "running")
            let runningResume = try CloudflareFailure(try await patch(session, "order-10228", "resume"))
            #expect(runningResume.code == 10401, "resuming a running instance throws")

            clock.advance(seconds: 30)
            let terminated = try CloudflareSuccess(try await patch(session, "order-10228", "terminate")).result()
            #expect(try terminated.string("status") == "terminated")
            let read = try await session.result("\(CloudflareSession.orders)/order-10228")
            #expect(try read.string("status") == "terminated")
            #expect(try read.string("end") == "2026-03-20T15:00:30.000Z")
            #expect(try read.array("steps").last?.string("type") == "termination")
            #expect(try read.array("steps").last?.object("trigger").string("source") == "api")
            let item = try #require(
                try await session.list("\(CloudflareSession.orders)?status=terminated").items.first { try $0.string("id") == "order-10228" })
            #expect(try item.string("ended_on") == "2026-03-20T15:00:30.000Z")
            let resumeTerminated = try CloudflareFailure(try await patch(session, "order-10228", "resume"))
            #expect(resumeTerminated.code == 10401, "a terminated instance cannot be resumed")
        }
    }

    @Test func finishedInstancesCannotBeTerminated() async throws {
        try await CloudflareEmulator(now: TestClock().reader).makeApplication(port: 0).test(.router) { client in
            let session = CloudflareSession(client: client)
            for id in ["order-10220", "order-10222", "order-10224"] {
                let failure = try CloudflareFailure(try await patch(session, id, "terminate"))
                #expect(failure == CloudflareFailure(400, 10401, "workflows.api.error.instance.cannot_terminate"), "\(id)")
            }
            let waitingForPause = try CloudflareSuccess(try await patch(session, "order-10229", "terminate")).result()
            #expect(try waitingForPause.string("status") == "terminated")
            for body in [#"{"status":"stop"}"#, "{}", "not json", #"{"status":"restart","from":{"name":""}}"#] {
                let failure = try CloudflareFailure(try await session.send("\(CloudflareSession.orders)/order-10228/status", .patch, body))
                #expect(failure.code == 10002, "\(body)")
            }
        }
    }

    @Test func restartErasesTheRunAndQueuesItAgain() async throws {
        try await CloudflareEmulator(now: TestClock().reader).makeApplication(port: 0).test(.router) { client in
            let session = CloudflareSession(client: client)
            let restarted = try CloudflareSuccess(try await patch(session, "order-10222", "restart")).result()
            #expect(try restarted.string("status") == "queued")
            let read = try await session.result("\(CloudflareSession.orders)/order-10222")
            #expect(try read.array("steps").isEmpty)
            #expect(read.isNull("error") && read.isNull("end") && read.isNull("start"))
            let queued = try CloudflareFailure(try await patch(session, "order-10222", "restart"))
            #expect(queued == CloudflareFailure(400, 10401, "workflows.api.error.instance.cannot_restart"))
            let fromStep = try await session.send(
                "\(CloudflareSession.orders)/order-10220/status", .patch, #"{"status":"restart","from":{"name":"reserve inventory","type":"do"}}"#
            )
            #expect(fromStep.status == .ok)
            let partial = try await session.result("\(CloudflareSession.orders)/order-10220")
            #expect(try partial.array("steps").map { try $0.string("name") } == ["validate order", "charge payment"])
        }
    }

    @Test func anEventIsDeliveredToTheInstanceWaitingForIt() async throws {
        let clock = TestClock()
        try await CloudflareEmulator(now: clock.reader).makeApplication(port: 0).test(.router) { client in
            let session = CloudflareSession(client: client)
            let events = "\(CloudflareSession.orders)/order-10230/events"
            let other = try await session.send("\(events)/something-else", .post, #"{"a":1}"#)
            #expect(try CloudflareSuccess(other).body.isNull("result"))
            #expect(
                try await session.result("\(CloudflareSession.orders)/order-10230").string("status") == "waiting",
                "another event type does not wake it")
            clock.advance(seconds: 5)
            let response = try await session.send("\(events)/warehouse-picked", .post, #"{"picker":"mgarcia","boxes":2}"#)
            _ = try CloudflareSuccess(response)
            let read = try await session.result("\(CloudflareSession.orders)/order-10230")
            #expect(try read.string("status") == "running")
            let wait = try #require(try read.array("steps").last)
            #expect(try wait.bool("finished"))
            #expect(try wait.string("end") == "2026-03-20T15:00:05.000Z")
            #expect(try wait.object("output").int("boxes") == 2)
            let badType = try CloudflareFailure(try await session.send("\(events)/bad%20type", .post, "{}"))
            #expect(badType.code == 10002)
            let badBody = try CloudflareFailure(try await session.send("\(events)/warehouse-picked", .post, "{nope"))
            #expect(badBody.code == 10002)
            let missing = try CloudflareFailure(try await session.send("\(CloudflareSession.orders)/order-0/events/x", .post, "{}"))
            #expect(missing.code == 10400)
        }
    }
}
