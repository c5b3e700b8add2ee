import FlowgateEmulators
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

struct GeotareasRateLimitTests {
    @Test func the31stReadWithinAMinuteIsRefusedAndTheWindowSlides() async throws {
        let clock = TestClock()
        try await GeotareasEmulator(now: clock.reader).makeApplication(port: 0).test(.router) { client in
            let session = try await GeotareasSession.login(client)
            let t0 = clock.now.timeIntervalSince1970
            for index in 0..<10 {
                let response = try await session.get(GeotareasSession.instances)
                #expect(response.status == .ok)
                #expect(response.headers[.testRateLimit] == "30")
                #expect(response.headers[.testRateRemaining] == String(29 - index))
                #expect(response.headers[.testRateReset] == String(Int(t0) + 60), "Unix seconds when the oldest request leaves")
                #expect(response.headers[.retryAfter] == nil)
            }
            clock.advance(seconds: 30)
            for _ in 0..<20 {
                #expect(try await session.get("\(GeotareasSession.instances)/\(GeotareasSession.example)").status == .ok, "reads share one window")
            }
            clock.advance(seconds: 10)
            let refused = try await session.get(GeotareasSession.instances)
            #expect(refused.status == .tooManyRequests)
            #expect(try GeotareasFailure(refused).code == "RATE_LIMITED")
            #expect(refused.headers[.retryAfter] == "20")
            #expect(refused.headers[.testRateRemaining] == "0")
            #expect(refused.headers[.testRateLimit] == "30")

            clock.advance(seconds: 21)  // t0 + 61: the first ten left the window, the twenty at t0 + 30 did not
            let slid = try await session.get(GeotareasSession.instances)
            #expect(slid.status == .ok)
            #expect(slid.headers[.testRateRemaining] == "9", "a sliding window, not a fixed one that would reset to 29")
            for _ in 0..<9 { #expect(try await session.get(GeotareasSession.instances).status == .ok) }
            #expect(try await session.get(GeotareasSession.instances).status == .tooManyRequests)
            clock.advance(seconds: 30)  // t0 + 91: the twenty left too
            let later = try await session.get(GeotareasSession.instances)
            #expect(later.headers[.testRateRemaining] == "19")
        }
    }

    @Test func writesHaveTheirOwnTenPerMinuteWindow() async throws {
        let clock = TestClock()
        try await GeotareasEmulator(now: clock.reader).makeApplication(port: 0).test(.router) { client in
            let session = try await GeotareasSession.login(client)
            let uri = "\(GeotareasSession.instances)/\(GeotareasSession.example)/cancel"
            for index in 0..<10 {
                let response = try await session.post(uri, "{}")
                #expect(response.status == .badRequest, "even refused writes count")
                #expect(response.headers[.testRateLimit] == "10")
                #expect(response.headers[.testRateRemaining] == String(9 - index))
            }
            let refused = try await session.post(uri, #"{"reason":"x"}"#)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] == "60")
            let read = try await session.get(GeotareasSession.instances)
            #expect(read.status == .ok, "reads are counted separately")
            #expect(read.headers[.testRateRemaining] == "29")
            clock.advance(seconds: 60)
            #expect(try await session.post(uri, #"{"reason":"x"}"#).status == .ok)
        }
    }

    @Test func everyAnswerCarriesRateLimitHeadersAndARequestID() async throws {
        try await GeotareasEmulator(now: TestClock().reader).makeApplication(port: 0).test(.router) { client in
            let session = try await GeotareasSession.login(client)
            var noTenant = session.headers
            noTenant[.testTenant] = nil
            let answers = [
                try await session.get(GeotareasSession.instances),
                try await session.get(GeotareasSession.instances, headers: noTenant),
                try await session.get(GeotareasSession.instances, headers: [.testTenant: GeotareasSession.tenant]),
                try await session.get("\(GeotareasSession.instances)/1"),
                try await session.get("/apidev/v1/workflow/unknown"),
                try await session.post(GeotareasSession.instances, "{}"),
                try await GeotareasSession.loginRequest(client, tenant: nil),
            ]
            for answer in answers {
                #expect(answer.headers[.testRateLimit] != nil, "\(answer.status)")
                #expect(answer.headers[.testRateRemaining] != nil)
                #expect(answer.headers[.testRateReset] != nil)
                #expect(answer.headers[.testRequestID]?.isEmpty == false)
            }
            let unknownRoute = try GeotareasFailure(answers[4])
            #expect(unknownRoute == .expected(404, "NOT_FOUND", "Resource not found."), "the router's 404 is in the envelope too")
        }
    }

    @Test func aForcedErrorIsRenderedInTheGeotareasEnvelope() async throws {
        let emulator = GeotareasEmulator(now: TestClock().reader)
        try await emulator.makeApplication(port: 0).test(.router) { client in
            let session = try await GeotareasSession.login(client)
            emulator.faults.add(Fault(.error(status: 503, code: "X")))
            let response = try await session.get(GeotareasSession.instances)
            #expect(response.status == .serviceUnavailable)
            let failure = try GeotareasFailure(response)
            #expect(failure.code == "X")
            #expect(!failure.message.isEmpty)
            emulator.faults.clear()
            emulator.faults.add(Fault(.error(status: 429, code: "RATE_LIMITED"), count: 1))
            #expect(try GeotareasFailure(try await session.get(GeotareasSession.instances)) == .expected(429, "RATE_LIMITED", "Exceeded rate limit."))
            #expect(try await session.get(GeotareasSession.instances).status == .ok, "a counted fault is used up")
        }
    }
}
