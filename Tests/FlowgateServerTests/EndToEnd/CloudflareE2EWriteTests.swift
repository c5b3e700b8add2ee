import FlowgateEmulators
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Starts, status changes and events on Cloudflare through the gateway, checked on both sides.
@Suite struct CloudflareE2EWriteTests {
    static let orders = "/client/v4/accounts/demo0account/workflows/order-fulfillment/instances"

    @Test func startsWithTheCallersInstanceIdAndRefusesItTwice() async throws {
        try await LiveStack.run { stack, client in
            let body = #"{"definition": "cf:order-fulfillment", "input": {"orderId": "A-1", "total": 12.5}, "instance_id": "order-a-1"}"#
            let response = try await client.post("/v1/instances", body)
            #expect(response.status == .created)
            CFStartAnswer.check(response)
            let instance = try CFJSON.object(response)
            #expect(instance["id"] as? String == "cf:order-fulfillment:order-a-1")
            #expect(instance["status"] as? String == "queued" && instance["provider_status"] as? String == "queued")
            #expect((instance["definition"] as? [String: Any])?["id"] as? String == "cf:order-fulfillment")

            let sent = try #require(stack.emulator("cloudflare").recorder.all.last)
            #expect(sent.method == .post && sent.path == Self.orders)
            #expect(sent.headers[.authorization] == "Bearer \(LiveStack.Demo.cloudflareToken)")
            #expect(sent.headers[.contentType] == "application/json")
            let upstream = try #require(CFJSON.body(sent) as? [String: Any])
            #expect(upstream["instance_id"] as? String == "order-a-1")
            let params = try #require(upstream["params"] as? [String: Any])
            #expect(params["orderId"] as? String == "A-1" && params["total"] as? Double == 12.5)

            let again = try await client.post("/v1/instances", body)
            #expect(again.status == .conflict)
            CFStartAnswer.check(again)
            let error = try ErrorBody(again)
            #expect(error.code == "CONFLICT")
            #expect((error.object["upstream"] as? [String: Any])?["code"] as? String == "10405")

            let read = try await client.get("/v1/instances/cf:order-fulfillment:order-a-1/data")
            #expect((try CFJSON.object(read)["input"] as? [String: Any])?["orderId"] as? String == "A-1")
        }
    }

    @Test func startsWithoutAnInstanceIdAndSendsAnObjectAsParams() async throws {
        try await LiveStack.run { stack, client in
            let response = try await client.post("/v1/instances", #"{"definition": "cf:image-processing"}"#)
            #expect(response.status == .created)
            CFStartAnswer.check(response)
            let id = try #require(try CFJSON.object(response)["id"] as? String)
            #expect(id.hasPrefix("cf:image-processing:") && id.count > "cf:image-processing:".count)
            let sent = try #require(stack.emulator("cloudflare").recorder.all.last)
            let upstream = try #require(CFJSON.body(sent) as? [String: Any])
            #expect(upstream["params"] as? [String: Any] != nil && upstream["instance_id"] == nil)
        }
    }

    @Test(arguments: [
        (#"{"definition": "cf:order-fulfillment", "entity": {"type": "deal", "id": "1"}}"#, "entity"),
        (#"{"definition": "cf:order-fulfillment", "instance_id": "-leading-dash"}"#, "instance_id"),
        (#"{"definition": "cf:order-fulfillment", "instance_id": "cf_\#(String(repeating: "a1", count: 32))"}"#, "instance_id"),
        (#"{"definition": "cf:\#(String(repeating: "w", count: 65))"}"#, "definition"),
        (#"{"definition": "cf:order:fulfillment"}"#, "definition"),
    ])
    func badStartsAreRefusedWithoutAnUpstreamCall(body: String, field: String) async throws {
        try await LiveStack.run { stack, client in
            let response = try await client.post("/v1/instances", body)
            #expect(response.status == .badRequest)
            CFStartAnswer.check(response)
            let error = try ErrorBody(response)
            #expect(error.code == "INVALID_REQUEST")
            #expect(error.detailFields == [field])
            #expect(stack.emulator("cloudflare").recorder.count == 0)
        }
    }

    @Test func cancelTerminatesAndASecondCancelConflicts() async throws {
        try await LiveStack.run { stack, client in
            let response = try await client.post("/v1/instances/cf:order-fulfillment:order-10228/cancel", #"{"reason": "duplicate order"}"#)
            #expect(response.status == .ok)
            OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}/cancel", method: "post")
            let instance = try CFJSON.object(response)
            #expect(instance["status"] as? String == "cancelled" && instance["provider_status"] as? String == "terminated")
            #expect(instance["updated_at"] is String && instance["ended_at"] is String)

            let sent = try #require(stack.emulator("cloudflare").recorder.all.last)
            #expect(sent.method == .patch && sent.path == "\(Self.orders)/order-10228/status")
            #expect(CFJSON.body(sent) as? [String: String] == ["status": "terminate"])

            let again = try await client.post("/v1/instances/cf:order-fulfillment:order-10228/cancel", nil)
            #expect(again.status == .conflict)
            OpenAPIValidator.shared.check(again, path: "/v1/instances/{id}/cancel", method: "post")
            #expect((try ErrorBody(again).object["upstream"] as? [String: Any])?["code"] as? String == "10401")
        }
    }

    @Test func pauseResumeAndRestart() async throws {
        try await LiveStack.run { stack, client in
            let id = "cf:order-fulfillment:order-10228"
            for (action, status, word) in [("pause", "paused", "paused"), ("resume", "running", "running"), ("restart", "queued", "queued")] {
                let response = try await client.post("/v1/instances/\(id)/\(action)", nil)
                #expect(response.status == .ok, "\(action)")
                OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}/\(action)", method: "post")
                let instance = try CFJSON.object(response)
                #expect(instance["status"] as? String == status && instance["provider_status"] as? String == word, "\(action)")
                let sent = try #require(stack.emulator("cloudflare").recorder.all.last)
                #expect(sent.method == .patch && sent.path == "\(Self.orders)/order-10228/status")
                #expect(CFJSON.body(sent) as? [String: String] == ["status": action])
            }
            let resumed = try await client.post("/v1/instances/\(id)/resume", nil)
            #expect(resumed.status == .conflict, "a queued instance cannot be resumed")
            OpenAPIValidator.shared.check(resumed, path: "/v1/instances/{id}/resume", method: "post")
        }
    }

    @Test func anEventReachesAWaitingInstance() async throws {
        try await LiveStack.run { stack, client in
            let response = try await client.post(
                "/v1/instances/cf:order-fulfillment:order-10226/events/warehouse-picked", #"{"picker": "ops-7", "boxes": 2}"#
            )
            #expect(response.status == .accepted)
            OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}/events/{type}", method: "post")
            let accepted = try CFJSON.object(response)
            #expect(accepted["instance_id"] as? String == "cf:order-fulfillment:order-10226")
            #expect(accepted["type"] as? String == "warehouse-picked" && accepted["accepted"] as? Bool == true)

            let sent = try #require(stack.emulator("cloudflare").recorder.all.last)
            #expect(sent.method == .post && sent.path == "\(Self.orders)/order-10226/events/warehouse-picked")
            let payload = try #require(CFJSON.body(sent) as? [String: Any])
            #expect(payload["picker"] as? String == "ops-7" && payload["boxes"] as? Int == 2)

            let detail = try CFJSON.object(try await client.get("/v1/instances/cf:order-fulfillment:order-10226"))
            #expect(detail["status"] as? String == "running")
        }
    }

    /// No body at all is sent as the JSON `null`, Cloudflare's body being "any JSON".
    @Test func anEventWithoutABodySendsNull() async throws {
        try await LiveStack.run { stack, client in
            let response = try await client.post("/v1/instances/cf:user-onboarding:x1/events/ping", nil)
            // The instance does not exist: the upstream's 404, after the call went out as documented.
            #expect(response.status == .notFound)
            OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}/events/{type}", method: "post")
            let sent = try #require(stack.emulator("cloudflare").recorder.all.last)
            #expect(String(buffer: sent.body) == "null")
            #expect(sent.headers[.contentType] == "application/json")
        }
    }

    @Test func fileDownloadIsNotSupported() async throws {
        try await LiveStack.run { stack, client in
            let response = try await client.get("/v1/instances/cf:order-fulfillment:order-10220/files/report.pdf")
            #expect(response.status == .notImplemented)
            OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}/files/{name}", method: "get")
            let error = try ErrorBody(response)
            #expect(error.code == "NOT_SUPPORTED" && error.message.contains("cloudflare"))
            #expect(error.object["provider"] as? String == "cloudflare")
            #expect(stack.emulator("cloudflare").recorder.count == 0)
        }
    }
}
