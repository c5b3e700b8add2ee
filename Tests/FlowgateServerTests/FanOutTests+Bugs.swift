import FlowgateCore
import InMemoryLogging
import Logging
import Testing

@testable import FlowgateServer

/// A bug in one branch of a fan-out (an error that is not a canonical one) must not pass as a quiet
/// partial answer: it is logged at error level, under the request's logger, before it becomes that
/// connection's `500` in `meta.errors`.
@Suite struct FanOutBugTests {
    struct AdapterBug: Error {}

    @Test func aBranchBugIsLoggedAtErrorLevelAndTheRestStillAnswers() async throws {
        let logs = InMemoryLogHandler()
        var logger = Logger(label: "flowgate", factory: { _ in logs })
        logger[metadataKey: "hb.request.id"] = "req-42"
        let outcome = try await FanOut.run(["geo", "cf"], strict: false, logger: logger) { connection -> Int in
            if connection == "cf" { throw AdapterBug() }
            return 1
        }
        #expect(outcome.values.map(\.connection) == ["geo"])
        #expect(outcome.failures.map(\.connection) == ["cf"])
        #expect(outcome.failures.first?.error.code == .internalError)
        let errors = logs.entries.filter { $0.level == .error }
        #expect(errors.count == 1)
        #expect(errors.first?.metadata["connection"]?.description == "cf")
        #expect(errors.first?.metadata["hb.request.id"]?.description == "req-42")
        #expect(errors.first?.metadata["error.type"]?.description.contains("AdapterBug") == true)
    }

    @Test func canonicalFailuresAreNotBugs() async throws {
        let logs = InMemoryLogHandler()
        let logger = Logger(label: "flowgate", factory: { _ in logs })
        let outcome = try await FanOut.run(["geo", "cf"], strict: false, logger: logger) { connection -> Int in
            if connection == "cf" { throw GatewayError(.upstreamTimeout, "slow", connection: "cf") }
            return 1
        }
        #expect(outcome.failures.first?.error.code == .upstreamTimeout)
        #expect(logs.entries.filter { $0.level == .error }.isEmpty)
    }
}
