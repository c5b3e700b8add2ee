import FlowgateEmulators
import Foundation
import HTTPTypes
import HummingbirdTesting
import InMemoryLogging
import Logging
import NIOCore
import Testing

/// Every operation of every provider, successes and upstream failures alike: the caller's key never
/// travels upstream, and no upstream credential comes back in an answer, a header or a log line.
@Suite struct CredentialSecrecyTests {
    static let calls: [(HTTPRequest.Method, String, String?)] = [
        (.get, "/v1/definitions", nil),
        (.get, "/v1/instances?limit=5", nil),
        (.get, "/v1/instances/geo:591847302948571634?include=raw", nil),
        (.get, "/v1/instances/geo:591847302948571634/timeline", nil),
        (.get, "/v1/instances/geo:591847302948571634/data", nil),
        (.get, "/v1/instances/wf:50100", nil),
        (.get, "/v1/instances/cf:order-fulfillment:missing-instance", nil),
        (.post, "/v1/instances", #"{"definition":"geo:482938470192837470"}"#),
        (.post, "/v1/instances", #"{"definition":"wf:expense_reimbursement_demo","input":{"amount":5}}"#),
        (.post, "/v1/instances", #"{"definition":"b24:713","entity":{"type":"deal","id":"5141"}}"#),
        (.post, "/v1/instances", #"{"definition":"cf:order-fulfillment","input":{"order":1}}"#),
    ]

    @Test func noCredentialLeaksAnywhere() async throws {
        let logs = InMemoryLogHandler()
        var logger = Logger(label: "flowgate", factory: { _ in logs })
        logger.logLevel = .trace
        let answers = try await LiveStack.run(emulators: burstFriendlyEmulators(), logger: logger) { stack, client in
            var answers: [String] = []
            for round in 0..<2 {
                if round == 1 {
                    // Second round: every upstream refuses the gateway's credentials.
                    stack.emulator("bitrix24").faults.add(Fault(.error(status: 401, code: "INVALID_API_KEY")))
                    stack.emulator("workingflow").faults.add(Fault(.error(status: 401, code: "UNAUTHORIZED")))
                    stack.emulator("geotareas").faults.add(Fault(.error(status: 401, code: "UNAUTHORIZED")))
                    stack.emulator("cloudflare").faults.add(Fault(.error(status: 401, code: "10000")))
                }
                for (method, uri, body) in Self.calls {
                    let answer = try await client.canonical(uri, method, template: Self.template(uri), body: body)
                    answers.append(answer.text + " " + answer.headers.map { "\($0.name): \($0.value)" }.joined(separator: " "))
                }
            }
            for name in ["bitrix24", "workingflow", "geotareas", "cloudflare"] {
                for request in stack.emulator(name).recorder.all {
                    let sent = request.headers.map(\.value).joined(separator: " ") + (request.query ?? "") + String(buffer: request.body)
                    #expect(!sent.contains(TestKeys.acmeReadWrite), "the caller's key reached \(name)")
                }
            }
            return answers
        }
        let secrets = LiveStack.Demo.secrets + [TestKeys.acmeReadWrite, TestKeys.cursorSecret]
        for answer in answers {
            for secret in secrets where answer.contains(secret) { Issue.record("an answer leaks a secret: \(answer.prefix(300))") }
        }
        #expect(logs.entries.count > Self.calls.count)
        for entry in logs.entries {
            let line = "\(entry.message) \(entry.metadata) \(entry.error.map { "\($0)" } ?? "")"
            for secret in secrets where line.contains(secret) { Issue.record("a log line leaks a secret: \(entry.message)") }
        }
    }

    static func template(_ uri: String) -> String {
        let path = String(uri.split(separator: "?")[0])
        let parts = path.split(separator: "/")
        if parts.count >= 3, parts[1] == "instances" {
            return "/v1/instances/{id}" + (parts.count > 3 ? "/" + parts[3...].joined(separator: "/") : "")
        }
        return path
    }
}
