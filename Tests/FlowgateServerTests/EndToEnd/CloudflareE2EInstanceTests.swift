import FlowgateEmulators
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// One Cloudflare instance through the gateway: detail, timeline and data, all derived from
/// `GET …/instances/{id}`, and ids refused before any upstream call.
@Suite struct CloudflareE2EInstanceTests {
    static let orders = "/client/v4/accounts/demo0account/workflows/order-fulfillment/instances"

    @Test func getsACompletedInstance() async throws {
        try await LiveStack.run { stack, client in
            let response = try await client.get("/v1/instances/cf:order-fulfillment:order-10220")
            #expect(response.status == .ok)
            OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}", method: "get")
            let instance = try CFJSON.object(response)
            #expect(instance["id"] as? String == "cf:order-fulfillment:order-10220")
            #expect(instance["connection"] as? String == "cf")
            #expect(instance["status"] as? String == "completed")
            #expect(instance["provider_status"] as? String == "complete")
            #expect((instance["definition"] as? [String: Any])?["id"] as? String == "cf:order-fulfillment")
            #expect(instance["output"] as? String == "fulfilled")
            #expect(instance["started_at"] is String && instance["ended_at"] is String)
            #expect(instance["current_step"] is NSNull)
            #expect(instance["files"] is NSNull && (instance["tasks"] as? [Any])?.isEmpty == true)
            #expect(instance["started_by"] as? String == "api")
            #expect(instance["raw"] == nil)

            let sent = try #require(stack.emulator("cloudflare").recorder.all.last)
            #expect(sent.method == .get && sent.path == "\(Self.orders)/order-10220")
            #expect(sent.headers[.authorization] == "Bearer \(LiveStack.Demo.cloudflareToken)")
        }
    }

    @Test func rawIsTheUpstreamResultUntouched() async throws {
        try await LiveStack.run { _, client in
            let response = try await client.get("/v1/instances/cf:order-fulfillment:order-10222?include=raw")
            #expect(response.status == .ok)
            OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}", method: "get")
            let instance = try CFJSON.object(response)
            #expect(instance["status"] as? String == "failed")
            let error = try #require(instance["error"] as? [String: Any])
            #expect(error["code"] as? String == "Error")
            #expect((error["message"] as? String)?.contains("503") == true)
            let raw = try #require(instance["raw"] as? [String: Any])
            #expect(raw["versionId"] is String && raw["steps"] is [Any] && raw["status"] as? String == "errored")
        }
    }

    @Test func aRunningInstanceNamesItsCurrentStep() async throws {
        try await LiveStack.run { _, client in
            let response = try await client.get("/v1/instances/cf:order-fulfillment:order-10226")
            OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}", method: "get")
            let instance = try CFJSON.object(response)
            #expect(instance["status"] as? String == "waiting")
            #expect((instance["current_step"] as? [String: Any])?["name"] as? String == "wait for warehouse pick")
        }
    }

    @Test func anUnknownInstanceIsNotFound() async throws {
        try await LiveStack.run { _, client in
            let response = try await client.get("/v1/instances/cf:order-fulfillment:order-99999")
            #expect(response.status == .notFound)
            OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}", method: "get")
            let error = try ErrorBody(response)
            #expect(error.code == "NOT_FOUND")
            #expect(error.object["provider"] as? String == "cloudflare")
            #expect((error.object["upstream"] as? [String: Any])?["code"] as? String == "10400")
        }
    }

    /// A native id without `<workflow>:` or with an over-long part never reaches Cloudflare.
    @Test(arguments: [
        "cf:order-10220", "cf:\(String(repeating: "w", count: 65)):x", "cf:order-fulfillment:\(String(repeating: "i", count: 101))",
        "cf::order-10220", "cf:order-fulfillment:",
    ])
    func malformedIdsAreRefusedWithoutAnUpstreamCall(id: String) async throws {
        try await LiveStack.run { stack, client in
            for suffix in ["", "/timeline", "/data"] {
                let response = try await client.get("/v1/instances/\(id)\(suffix)")
                #expect(response.status == .badRequest, "\(id)\(suffix)")
                OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}\(suffix)", method: "get")
                let error = try ErrorBody(response)
                #expect(error.code == "INVALID_REQUEST")
                #expect(error.detailFields == ["id"])
            }
            #expect(stack.emulator("cloudflare").recorder.count == 0)
        }
    }

    @Test func timelineIsDerivedFromStepsOldestFirst() async throws {
        try await LiveStack.run { _, client in
            let response = try await client.get("/v1/instances/cf:order-fulfillment:order-10220/timeline")
            #expect(response.status == .ok)
            OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}/timeline", method: "get")
            let events = try CFJSON.list(response)
            let types = events.compactMap { $0["type"] as? String }
            #expect(
                types == [
                    "queued", "started", "step_started", "step_completed", "step_started", "step_completed", "step_started", "step_completed",
                    "wait_started", "event_received", "step_started", "step_completed", "completed",
                ]
            )
            let times = events.compactMap { ($0["at"] as? String).flatMap(Timestamp8601.parse) }
            #expect(times.count == events.count && times == times.sorted())
            #expect(events[2]["step"] as? String == "validate order")
            #expect((events[8]["details"] as? [String: Any])?["event_type"] as? String == "warehouse-picked")
        }
    }

    @Test func timelineShowsRetriedAttemptsAndTheFailure() async throws {
        try await LiveStack.run { _, client in
            let response = try await client.get("/v1/instances/cf:order-fulfillment:order-10222/timeline")
            OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}/timeline", method: "get")
            let events = try CFJSON.list(response)
            let types = events.compactMap { $0["type"] as? String }
            #expect(types.filter { $0 == "step_attempt_failed" }.count == 6)
            #expect(types.suffix(2) == ["step_failed", "failed"])
            let attempt = try #require(events.first { $0["type"] as? String == "step_attempt_failed" })
            #expect(attempt["step"] as? String == "charge payment")
            #expect((attempt["details"] as? [String: Any])?["attempt"] as? Int == 1)
        }
    }

    @Test func dataHoldsParamsOutputAndStepOutputs() async throws {
        try await LiveStack.run { _, client in
            let response = try await client.get("/v1/instances/cf:order-fulfillment:order-10220/data")
            #expect(response.status == .ok)
            OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}/data", method: "get")
            let data = try CFJSON.object(response)
            #expect(data["id"] as? String == "cf:order-fulfillment:order-10220")
            #expect((data["input"] as? [String: Any])?["orderId"] as? String == "10220")
            #expect(data["variables"] is NSNull)
            #expect(data["output"] as? String == "fulfilled")
            let steps = try #require(data["steps"] as? [[String: Any]])
            #expect(
                steps.compactMap { ($0["step"] as? [String: Any])?["name"] as? String } == [
                    "validate order", "charge payment", "reserve inventory", "wait for warehouse pick", "send confirmation email",
                ])
            let first = try #require(steps.first?["data"] as? [String: Any])
            #expect((first["output"] as? [String: Any])?["valid"] as? Bool == true, "JSON text output read as JSON")
            #expect((steps.last?["data"] as? [String: Any])?["output"] as? String == "queued", "plain text output stays text")
        }
    }
}
