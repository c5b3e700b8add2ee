import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOEmbedded
import Testing

@testable import FlowgateServer

/// The routed part of a request runs in a child task of the connection's task, so the connection's task
/// does not keep the request's frames once it is answered (docs/architecture.md).
@Suite struct RequestTaskResponderTests {
    /// The identity of the running task. Compared only while both tasks are alive (the caller awaits the
    /// handler), so an address can not have been reused.
    private static func currentTask() -> Int? {
        withUnsafeCurrentTask { $0?.hashValue }
    }

    private static func call(_ responder: some HTTPResponder<BasicRequestContext>) async throws -> Response {
        let request = Request(head: HTTPRequest(method: .get, scheme: nil, authority: nil, path: "/"), body: RequestBody(buffer: ByteBuffer()))
        let context = BasicRequestContext(source: ApplicationRequestContextSource(channel: EmbeddedChannel(), logger: Logger(label: "test")))
        return try await responder.respond(to: request, context: context)
    }

    /// Answers 200 when it runs in another task than `caller`, 409 when in the same one.
    private static func reporter(caller: Int?) -> CallbackResponder<BasicRequestContext> {
        CallbackResponder { _, _ in
            let handler = currentTask()
            return Response(status: handler != nil && handler != caller ? .ok : .conflict)
        }
    }

    @Test func theHandlerRunsInAChildTaskOfTheConnectionsTask() async throws {
        let caller = Self.currentTask()
        #expect(caller != nil)
        let response = try await Self.call(RequestTaskResponder(inner: Self.reporter(caller: caller)))
        #expect(response.status == .ok)
        // The check itself tells the two apart: called directly, the handler runs in the caller's task.
        #expect(try await Self.call(Self.reporter(caller: caller)).status == .conflict)
    }
}
