import FlowgateEmulators
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

struct RequestRecorderTests {
    @Test func recordsWhatWasSentAndLeavesTheBodyForTheRoute() async throws {
        let recorder = RequestRecorder()
        let router = Router()
        router.add(middleware: RecordingMiddleware(recorder: recorder))
        router.post("/v1/workflows/start") { request, _ in
            var request = request
            return String(buffer: try await request.collectBody(upTo: 1000))
        }
        try await Application(router: router).test(.live) { client in
            try await client.execute(
                uri: "/v1/workflows/start?x=1", method: .post, headers: [.init("X-Api-Key")!: "vibe_api_test"],
                body: ByteBuffer(string: #"{"templateId":1}"#)
            ) { response in
                #expect(String(buffer: response.body) == #"{"templateId":1}"#, "the route still reads the body")
            }
        }
        let recorded = try #require(recorder.all.first)
        #expect(recorder.count == 1)
        #expect(recorded.method == .post)
        #expect(recorded.path == "/v1/workflows/start")
        #expect(recorded.query == "x=1")
        #expect(recorded.headers[.init("X-Api-Key")!] == "vibe_api_test")
        #expect(String(buffer: recorded.body) == #"{"templateId":1}"#)
        recorder.clear()
        #expect(recorder.count == 0)
    }
}
