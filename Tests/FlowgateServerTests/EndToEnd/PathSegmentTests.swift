import FlowgateEmulators
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Ids and file names become upstream path segments: `.` and `..` (however they are percent-encoded)
/// are refused before any upstream call, and a decoded `/` or `\` travels percent-encoded, inside its
/// one segment. Checked by what the emulators received.
@Suite struct PathSegmentTests {
    @Test(arguments: [
        ("/v1/instances/wf:%2E%2E", "id"),
        ("/v1/instances/wf:%2e%2E/data", "id"),
        ("/v1/instances/wf:.%2e", "id"),
        ("/v1/instances/wf:.", "id"),
        ("/v1/instances/wf:50100/files/%2E%2E", "name"),
        ("/v1/instances/wf:50100/files/.%2E", "name"),
        ("/v1/instances/wf:50100/files/%2e", "name"),
        ("/v1/instances/cf:%2E%2E:order-a-1", "id"),
        ("/v1/instances/cf:order-fulfillment:%2E%2E/timeline", "id"),
        ("/v1/instances?definition=cf:%2E%2E", "definition"),
    ])
    func dotSegmentsAre400BeforeAnyUpstreamCall(uri: String, field: String) async throws {
        try await LiveStack.run { stack, client in
            let response = try await client.get(uri)
            #expect(response.status == .badRequest)
            let error = try ErrorBody(response)
            #expect(error.code == "INVALID_REQUEST")
            #expect(error.detailFields == [field])
            #expect(stack.emulator("workingflow").recorder.count == 0)
            #expect(stack.emulator("cloudflare").recorder.count == 0)
        }
    }

    @Test(arguments: [
        (#"{"definition":"wf:.."}"#, "definition"),
        (#"{"definition":"cf:..","input":{}}"#, "definition"),
    ])
    func dotDefinitionsAre400(body: String, field: String) async throws {
        try await LiveStack.run { stack, client in
            let response = try await client.post("/v1/instances", body)
            #expect(response.status == .badRequest)
            #expect(try ErrorBody(response).detailFields == [field])
            #expect(stack.emulator("workingflow").recorder.count == 0)
            #expect(stack.emulator("cloudflare").recorder.count == 0)
        }
    }

    @Test func dotEventTypeIs400() async throws {
        try await LiveStack.run { stack, client in
            let response = try await client.post("/v1/instances/cf:order-fulfillment:x/events/%2E%2E", "{}")
            #expect(response.status == .badRequest)
            #expect(try ErrorBody(response).detailFields == ["type"])
            #expect(stack.emulator("cloudflare").recorder.count == 0)
        }
    }

    /// The segment as the gateway decodes it, and as Workingflow must receive it.
    @Test(arguments: [
        ("/v1/instances/wf:50100/files/a%2Fb.pdf", "/processapi/50100/files/a%2Fb.pdf"),
        ("/v1/instances/wf:50100/files/a%5Cb.pdf", "/processapi/50100/files/a%5Cb.pdf"),
        ("/v1/instances/wf:50100/files/..%2F..%2Fsecret", "/processapi/50100/files/..%2F..%2Fsecret"),
        ("/v1/instances/wf:50100/files/..%5C..%5Csecret", "/processapi/50100/files/..%5C..%5Csecret"),
        ("/v1/instances/wf:50100/files/...", "/processapi/50100/files/..."),
        ("/v1/instances/wf:50%2F100", "/processapi/50%2F100/status"),
        ("/v1/instances/wf:%2E%2E%2Fx", "/processapi/..%2Fx/status"),
    ])
    func slashesStayInsideTheirSegment(uri: String, upstreamPath: String) async throws {
        try await LiveStack.run { stack, client in
            _ = try await client.get(uri)
            #expect(stack.emulator("workingflow").recorder.all.map(\.path) == [upstreamPath])
        }
    }
}
