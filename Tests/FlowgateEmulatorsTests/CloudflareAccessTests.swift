import FlowgateEmulators
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

struct CloudflareAccessTests {
    @Test func aBearerTokenIsRequiredAndMustCoverTheAccount() async throws {
        try await CloudflareEmulator(now: TestClock().reader).makeApplication(port: 0).test(.router) { client in
            var session = CloudflareSession(client: client)
            #expect(try await session.get(CloudflareSession.base).status == .ok)
            let authError = CloudflareFailure(401, 10000, "Authentication error")
            for headers: HTTPFields in [
                [:], [.authorization: "Bearer wrong"], [.authorization: CloudflareSession.token], [.authorization: "Bearer "],
                [HTTPField.Name("X-Auth-Email")!: "a@example.com", HTTPField.Name("X-Auth-Key")!: "144c9defac04969c7bfad8efaa8ea194"],
            ] {
                session.headers = headers
                let failure = try CloudflareFailure(try await session.get(CloudflareSession.base))
                #expect(failure == authError, "\(headers)")
            }
            session.headers = [.authorization: "Bearer \(CloudflareSession.token)"]
            let otherAccount = try CloudflareFailure(try await session.get("/client/v4/accounts/someoneelse/workflows"))
            #expect(otherAccount == CloudflareFailure(403, 10000, "Authentication error"))
        }
    }

    @Test func demoCredentialsMatchTheDemoConfig() {
        #expect(CloudflareEmulator.Credentials.demo.token == "cf_demo_token_0000000000000000")
        #expect(CloudflareEmulator.Credentials.demo.accountID == "demo0account")
        #expect(CloudflareEmulator().name == "cloudflare")
    }

    @Test func unknownRoutesAndWorkflowsAnswerInTheEnvelope() async throws {
        try await CloudflareEmulator(now: TestClock().reader).makeApplication(port: 0).test(.router) { client in
            let session = CloudflareSession(client: client)
            #expect(try CloudflareFailure(try await session.get("/client/v4/nowhere")) == CloudflareFailure(404, 7000, "No route for that URI"))
            let deleteInstance = try await client.execute(uri: "\(CloudflareSession.orders)/order-10220", method: .delete, headers: session.headers)
            #expect(try CloudflareFailure(deleteInstance).code == 7000, "no REST endpoint deletes an instance")
            let workflow = try CloudflareFailure(try await session.get("\(CloudflareSession.base)/no-such-workflow"))
            #expect(workflow == CloudflareFailure(404, 10200, "workflows.api.error.workflow.not_found"))
            let instances = try CloudflareFailure(try await session.get("\(CloudflareSession.base)/no-such-workflow/instances"))
            #expect(instances.code == 10200)
            let instance = try CloudflareFailure(try await session.get("\(CloudflareSession.orders)/order-99999"))
            #expect(instance == CloudflareFailure(404, 10400, "workflows.api.error.instance.not_found"))
            let status = try CloudflareFailure(
                try await session.send("\(CloudflareSession.orders)/order-99999/status", .patch, #"{"status":"pause"}"#))
            #expect(status.code == 10400)
        }
    }

    @Test func over1200RequestsInFiveMinutesBlocksTheTokenForFiveMinutes() async throws {
        let clock = TestClock()
        let emulator = CloudflareEmulator(now: clock.reader)
        try await emulator.makeApplication(port: 0).test(.router) { client in
            let session = CloudflareSession(client: client)
            let first = try await session.get(CloudflareSession.base)
            #expect(first.headers[.testRatelimit] == #""default";r=1199;t=300"#)
            #expect(first.headers[.testRatelimitPolicy] == #""burst";q=1200;w=300"#)
            #expect(first.headers[.retryAfter] == nil)
            clock.advance(seconds: 100)
            for _ in 0..<1198 { _ = try await session.get(CloudflareSession.base) }
            let last = try await session.get(CloudflareSession.base)
            #expect(last.status == .ok)
            #expect(last.headers[.testRatelimit] == #""default";r=0;t=200"#, "the first request leaves the window 300 s after it was made")

            clock.advance(seconds: 1)
            let limited = try await session.get(CloudflareSession.base)
            #expect(try CloudflareFailure(limited) == CloudflareFailure(429, 971, "Please wait and consider throttling your request speed"))
            #expect(limited.headers[.retryAfter] == "300", "blocked for five minutes from the request that went over")

            clock.advance(seconds: 200)  // the window alone would have freed the first request by now
            let before = emulator.recorder.count
            let blocked = try await session.send(CloudflareSession.orders, .post, #"{"instance_id":"during-block"}"#)
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.headers[.retryAfter] == "100")
            #expect(blocked.headers[.testRatelimit] == #""default";r=0;t=100"#)
            #expect(emulator.recorder.count == before + 1, "recorded, but not served")
            clock.advance(seconds: 100)
            let after = try await session.get(CloudflareSession.base)
            #expect(after.status == .ok)
            #expect(after.headers[.testRatelimit] == #""default";r=1199;t=300"#)
            let missing = try CloudflareFailure(try await session.get("\(CloudflareSession.orders)/during-block"))
            #expect(missing.code == 10400, "the create sent during the block never happened")
        }
    }

    @Test func aForcedErrorIsRenderedInTheCloudflareEnvelope() async throws {
        let emulator = CloudflareEmulator(now: TestClock().reader)
        try await emulator.makeApplication(port: 0).test(.router) { client in
            let session = CloudflareSession(client: client)
            emulator.faults.add(Fault(.error(status: 503, code: "X"), count: 1))
            let forced = try CloudflareFailure(try await session.get(CloudflareSession.base))
            #expect(forced == CloudflareFailure(503, 10001, "X"))
            emulator.faults.add(Fault(.error(status: 404, code: "10400"), count: 1))
            let numeric = try CloudflareFailure(try await session.get(CloudflareSession.base))
            #expect(numeric.status == 404 && numeric.code == 10400)
            #expect(try await session.get(CloudflareSession.base).status == .ok)
        }
    }
}
