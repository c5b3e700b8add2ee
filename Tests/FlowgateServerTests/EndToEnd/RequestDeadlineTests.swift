import FlowgateEmulators
import FlowgateServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// One deadline per canonical request (`server.request_timeout_s`): every upstream call of a request —
/// a Geotareas login and the read after it, a fan-out's branches — spends from it, so a request answers
/// by its deadline however many calls it needs. These measure real sockets: the emulators' latency is
/// real time, kept short.
@Suite struct RequestDeadlineTests {
    /// Each call alone fits its own 30 s bound; together login + read do not fit the request's 1 s.
    @Test func aColdGeotareasReadIsBoundedByTheRequestNotPerCall() async throws {
        let config: @Sendable (LiveStack) -> String = { $0.configYAML(upstreamTimeout: 30, server: "  request_timeout_s: 1") }
        try await LiveStack.run(config: config) { stack, client in
            let geotareas = stack.emulator("geotareas")
            geotareas.faults.add(Fault(.latency(.milliseconds(600))))
            let started = ContinuousClock.now
            let answer = try await client.canonical("/v1/instances/geo:591847302948571634", template: "/v1/instances/{id}")
            let elapsed = ContinuousClock.now - started
            #expect(answer.status == 504, "\(answer.text)")
            #expect(answer.error?["code"] as? String == "UPSTREAM_TIMEOUT")
            #expect(answer.error?["message"] as? String == "The request's 1 s budget ran out before geotareas answered")
            #expect(elapsed < .seconds(10), "answered at the request's deadline, not per call (\(elapsed))")
        }
    }

    /// The slow connection's branch ends at the request's deadline (5 s: the others must answer by then on a loaded machine); their items still come back.
    @Test func aFanOutAnswersPartialAtTheDeadline() async throws {
        let config: @Sendable (LiveStack) -> String = { $0.configYAML(upstreamTimeout: 60, server: "  request_timeout_s: 5") }
        try await LiveStack.run(config: config) { stack, client in
            stack.emulator("cloudflare").faults.add(Fault(.latency(.seconds(30))))
            let started = ContinuousClock.now
            let answer = try await client.canonical("/v1/definitions", template: "/v1/definitions")
            let elapsed = ContinuousClock.now - started
            #expect(answer.status == 200, "\(answer.text)")
            #expect(answer.meta["partial"] as? Bool == true)
            let errors = answer.meta["errors"] as? [[String: Any]] ?? []
            let cloudflare = errors.first { $0["connection"] as? String == "cf" }
            #expect((cloudflare?["error"] as? [String: Any])?["code"] as? String == "UPSTREAM_TIMEOUT", "\(errors)")
            // Workingflow answers in one local call; it must be among the items (others may be slow on a loaded machine).
            #expect(answer.items.contains { $0["connection"] as? String == "wf" }, "\(answer.text)")
            #expect(elapsed < .seconds(25), "the 30 s upstream was not waited for (\(elapsed))")
        }
    }

    @Test func theRequestTimeoutIsValidatedWithTheOtherServerSettings() throws {
        let bad = "server:\n  request_timeout_s: 0\ntenants: []\n"
        #expect(throws: (any Error).self) { try ConfigLoader(references: SecretReferences(environment: [:])).parse(yaml: bad) }
    }
}
