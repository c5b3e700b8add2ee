import FlowgateEmulators
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 14's crashing requests and their neighbours, through the real server against the emulators:
/// each is a `400` before any upstream call, and the process keeps serving.
@Suite struct HostileInputTests {
    static let upstreams = ["bitrix24", "workingflow", "geotareas", "cloudflare"]

    /// Nothing reached any emulator.
    private func nothingSent(_ stack: LiveStack, sourceLocation: SourceLocation = #_sourceLocation) {
        for name in Self.upstreams {
            let paths = stack.emulator(name).recorder.all.map(\.path)
            #expect(paths.isEmpty, "\(name) received \(paths)", sourceLocation: sourceLocation)
        }
    }

    /// `"wf:a"` followed by 13 000 or 100 000 combining acute accents: one `Character`, 26 KB or 200 KB.
    /// It once became a 78 KB upstream path and a precondition failure in AsyncHTTPClient.
    @Test(arguments: [("wf", 13_000), ("wf", 100_000), ("cf", 13_000), ("cf", 100_000)])
    func oneCharacterDefinitionOfManyBytesIs400(connection: String, marks: Int) async throws {
        try await LiveStack.run { stack, client in
            let definition = "\(connection):a" + String(repeating: "\u{301}", count: marks)
            let response = try await client.post("/v1/instances", #"{"definition": "\#(definition)", "input": {}}"#)
            #expect(response.status == .badRequest)
            let error = try ErrorBody(response)
            #expect(error.code == "INVALID_REQUEST")
            #expect(error.detailFields == ["definition"])
            #expect(error.details?.first?["issue"] as? String == "is \(definition.utf8.count) bytes long (UTF-8); at most 512 bytes are allowed")
            nothingSent(stack)
            // The process lives: the next request is served end to end.
            let next = try await client.get("/v1/instances/wf:50100")
            #expect(next.status == .ok)
        }
    }

    @Test func oneCharacterCancelReasonOf120KBIs400AndNothingIsSent() async throws {
        try await LiveStack.run { stack, client in
            let reason = "a" + String(repeating: "\u{301}", count: 60_000)
            let response = try await client.post("/v1/instances/b24:10041/cancel", #"{"reason": "\#(reason)"}"#)
            #expect(response.status == .badRequest)
            let error = try ErrorBody(response)
            #expect(error.detailFields == ["reason"])
            #expect(error.details?.first?["issue"] as? String == "is 120001 bytes long (UTF-8); at most 500 bytes are allowed")
            nothingSent(stack)
        }
    }

    /// A 704-scalar id is 1 404 bytes: under 512 `Character`s, over 512 bytes.
    @Test func idOverTheByteBoundIs400() async throws {
        try await LiveStack.run { stack, client in
            let id = "wf:" + String(repeating: "é", count: 704)
            let encoded = try #require(id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union([":"])))
            let response = try await client.get("/v1/instances/\(encoded)")
            #expect(response.status == .badRequest)
            #expect(try ErrorBody(response).detailFields == ["id"])
            nothingSent(stack)
        }
    }

    @Test(arguments: [
        (#"{"definition":"wf:expense_reimbursement_demo","definition":"cf:order-fulfillment"}"#, "definition"),
        (#"{"definition":"wf:expense_reimbursement_demo","input":{"amount":1,"amount":500}}"#, "input.amount"),
        (#"{"definition":"b24:713","entity":{"type":"deal","id":"5141","id":"1"}}"#, "entity.id"),
        (#"{"definition":"wf:expense_reimbursement_demo","input":{"lines":[{"a":1,"\u0061":2}]}}"#, "input.lines[0].a"),
    ])
    func duplicateKeysAre400NamingTheKey(body: String, field: String) async throws {
        try await LiveStack.run { stack, client in
            let response = try await client.post("/v1/instances", body)
            #expect(response.status == .badRequest)
            let error = try ErrorBody(response)
            #expect(error.code == "INVALID_REQUEST")
            #expect(error.detailFields == [field])
            nothingSent(stack)
        }
    }

    @Test func nestingBeyondTheBoundIs400() async throws {
        try await LiveStack.run { stack, client in
            let deep = String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000)
            let response = try await client.post("/v1/instances", #"{"definition":"wf:x","input":{"deep":\#(deep)}}"#)
            #expect(response.status == .badRequest)
            #expect(try ErrorBody(response).detailFields == ["body"])
            nothingSent(stack)
        }
    }
}
