import FlowgateEmulators
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// `Idempotency-Key` on start and cancel, through the gateway, against a real upstream.
@Suite struct IdempotencyTests {
    static let start = #"{"definition": "geo:482938470192837470"}"#

    func key(_ value: String) -> HTTPFields { [.init("Idempotency-Key")!: value] }

    @Test func aRetriedStartIsReplayedNotRepeated() async throws {
        try await LiveStack.run { stack, client in
            let first = try await client.canonical("/v1/instances", .post, template: "/v1/instances", body: Self.start, headers: key("start-1"))
            #expect(first.status == 201)
            #expect(first.headers[.init("Idempotent-Replayed")!] == nil)
            let again = try await client.canonical(
                "/v1/instances", .post, template: "/v1/instances", body: #"{ "definition":"geo:482938470192837470" }"#, headers: key("start-1")
            )
            #expect(again.status == 201)
            #expect(again.headers[.init("Idempotent-Replayed")!] == "true")
            #expect(again.text == first.text, "the first answer, byte for byte")
            let starts = stack.emulator("geotareas").recorder.all.filter { $0.method == .post && $0.path == "/apidev/v1/workflow/instances" }
            #expect(starts.count == 1, "one upstream start")
        }
    }

    @Test func theSameKeyWithAnotherBodyIsAConflict() async throws {
        try await LiveStack.run { stack, client in
            _ = try await client.canonical("/v1/instances", .post, template: "/v1/instances", body: Self.start, headers: key("k"))
            let other = try await client.canonical(
                "/v1/instances", .post, template: "/v1/instances", body: #"{"definition": "geo:482938470192837469"}"#, headers: key("k")
            )
            #expect(other.status == 409)
            #expect(other.error?["code"] as? String == "CONFLICT")
            let starts = stack.emulator("geotareas").recorder.all.filter { $0.method == .post && $0.path == "/apidev/v1/workflow/instances" }
            #expect(starts.count == 1)
        }
    }

    @Test func concurrentDuplicatesMakeOneUpstreamStart() async throws {
        try await LiveStack.run { stack, client in
            stack.emulator("geotareas").faults.add(Fault(.latency(.milliseconds(300)), pathPrefix: "/apidev/v1/workflow/instances"))
            let answers = try await withThrowingTaskGroup(of: Canonical.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await client.canonical("/v1/instances", .post, template: "/v1/instances", body: Self.start, headers: key("burst"))
                    }
                }
                return try await group.reduce(into: [Canonical]()) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0.status == 201 })
            #expect(Set(answers.map(\.text)).count == 1, "every caller got the one instance")
            #expect(answers.filter { $0.headers[.init("Idempotent-Replayed")!] == "true" }.count == 3)
            let starts = stack.emulator("geotareas").recorder.all.filter { $0.method == .post && $0.path == "/apidev/v1/workflow/instances" }
            #expect(starts.count == 1)
        }
    }

    @Test func keysBelongToOneTenant() async throws {
        try await LiveStack.run { stack, client in
            let acme = try await client.canonical(
                "/v1/instances", .post, template: "/v1/instances", body: #"{"definition": "wf:expense_reimbursement_demo"}"#,
                headers: key("shared")
            )
            let globex = try await client.canonical(
                "/v1/instances", .post, template: "/v1/instances", key: TestKeys.globex,
                body: #"{"definition": "gx:expense_reimbursement_demo"}"#, headers: key("shared")
            )
            #expect(acme.status == 201)
            #expect(globex.status == 201)
            #expect(globex.headers[.init("Idempotent-Replayed")!] == nil, "another tenant's key is another key")
            #expect(acme.data?["id"] as? String != globex.data?["id"] as? String)
        }
    }

    @Test func aFailedStartFreesItsKey() async throws {
        try await LiveStack.run { stack, client in
            stack.emulator("geotareas").faults.add(
                Fault(.error(status: 500, code: "INTERNAL_ERROR"), pathPrefix: "/apidev/v1/workflow/instances", count: 1))
            let failed = try await client.canonical("/v1/instances", .post, template: "/v1/instances", body: Self.start, headers: key("retry"))
            #expect(failed.status == 502)
            let retried = try await client.canonical("/v1/instances", .post, template: "/v1/instances", body: Self.start, headers: key("retry"))
            #expect(retried.status == 201)
            #expect(retried.headers[.init("Idempotent-Replayed")!] == nil)
        }
    }

    @Test func aRetriedCancelIsReplayed() async throws {
        try await LiveStack.run { stack, client in
            let started = try await client.canonical("/v1/instances", .post, template: "/v1/instances", body: Self.start)
            let id = try (started.data?["id"] as? String).unwrap("an id")
            let first = try await client.canonical(
                "/v1/instances/\(id)/cancel", .post, template: "/v1/instances/{id}/cancel", body: #"{"reason":"dup"}"#, headers: key("c1")
            )
            #expect(first.status == 200)
            #expect(first.data?["status"] as? String == "cancelled")
            let again = try await client.canonical(
                "/v1/instances/\(id)/cancel", .post, template: "/v1/instances/{id}/cancel", body: #"{"reason":"dup"}"#, headers: key("c1")
            )
            #expect(again.headers[.init("Idempotent-Replayed")!] == "true")
            let cancels = stack.emulator("geotareas").recorder.all.filter { $0.path.hasSuffix("/cancel") }
            #expect(cancels.count == 1)
        }
    }
}
