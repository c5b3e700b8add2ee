import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InMemoryLogging
import Logging
import Testing

@testable import FlowgateServer

/// A bug anywhere below the error middleware answers `500 INTERNAL` in the canonical envelope with the
/// request id, while what went wrong goes only to the log under that id.
struct InternalErrorTests {
    struct DatabaseExploded: Error, CustomStringConvertible {
        var description: String { "connection string postgres://admin:hunter2@db/prod is broken" }
    }

    @Test func bugsAre500WithTheRequestIDAndDetailsOnlyInTheLog() async throws {
        let logs = InMemoryLogHandler()
        let router = Router(context: GatewayRequestContext.self)
        router.addMiddleware {
            RequestTelemetryMiddleware(metrics: GatewayMetrics())
            ErrorEnvelopeMiddleware()
        }
        router.get("/explode") { _, _ -> Response in throw DatabaseExploded() }
        let app = Application(router: router, logger: Logger(label: "test", factory: { _ in logs }))
        try await app.test(.router) { client in
            try await client.execute(uri: "/explode", method: .get, headers: [.init("X-Request-Id")!: "bug-1"]) { response in
                #expect(response.status == .internalServerError)
                let error = try ErrorBody(response)
                #expect(error.code == "INTERNAL")
                #expect(error.object["request_id"] as? String == "bug-1")
                #expect(!String(buffer: response.body).contains("hunter2"), "details stay out of the answer")
            }
        }
        let logged = logs.entries.first { $0.message.description == "Unhandled error" }
        #expect(logged?.metadata["hb.request.id"]?.description == "bug-1")
        #expect(logged?.metadata["error.type"]?.description.contains("DatabaseExploded") == true)
    }
}
