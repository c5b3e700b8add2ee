import FlowgateEmulators
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Cloudflare definitions and instance lists through the gateway: the fan-out over workflows, cursor
/// paging, and which filters reach the upstream.
@Suite struct CloudflareE2EListTests {
    static let prefix = "/client/v4/accounts/demo0account/workflows"

    @Test func listsWorkflowsAsDefinitionsByName() async throws {
        try await LiveStack.run { stack, client in
            let response = try await client.get("/v1/definitions?connection=cf")
            #expect(response.status == .ok)
            OpenAPIValidator.shared.check(response, path: "/v1/definitions", method: "get")
            let definitions = try CFJSON.list(response)
            let ids = definitions.compactMap { $0["id"] as? String }
            #expect(Set(ids) == ["cf:order-fulfillment", "cf:user-onboarding", "cf:invoice-reminders", "cf:image-processing", "cf:nightly-report"])
            #expect(definitions.allSatisfy { $0["startable"] as? Bool == true && $0["provider"] as? String == "cloudflare" })
            #expect(definitions.allSatisfy { $0["raw"] == nil })

            let sent = stack.emulator("cloudflare").recorder.all
            #expect(sent.count == 1)
            let request = try #require(sent.first)
            #expect(request.method == .get && request.path == Self.prefix)
            #expect(request.headers[.authorization] == "Bearer \(LiveStack.Demo.cloudflareToken)")
            #expect(request.query?.contains("per_page=100") == true)

            let raw = try await client.get("/v1/definitions?connection=cf&include=raw")
            OpenAPIValidator.shared.check(raw, path: "/v1/definitions", method: "get")
            let first = try #require(try CFJSON.list(raw).first?["raw"] as? [String: Any])
            #expect(first["class_name"] is String)
        }
    }

    /// Every instance of every workflow exactly once, newest first within each page, through cursors.
    @Test(arguments: [2, 3, 7]) func pagesThroughEveryWorkflowOnce(limit: Int) async throws {
        try await LiveStack.run { stack, client in
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let uri = "/v1/instances?connection=cf&limit=\(limit)" + (cursor.map { "&cursor=\($0)" } ?? "")
                let response = try await client.get(uri)
                #expect(response.status == .ok)
                OpenAPIValidator.shared.check(response, path: "/v1/instances", method: "get")
                let items = try CFJSON.list(response)
                #expect(items.count <= limit)
                let started = items.compactMap { ($0["started_at"] as? String).flatMap { try? Date($0, strategy: .iso8601) } }
                #expect(started == started.sorted(by: >), "newest first")
                seen += items.compactMap { $0["id"] as? String }
                cursor = try CFJSON.meta(response)["next_cursor"] as? String
                pages += 1
            } while cursor != nil && pages < 60
            #expect(seen.count == 46)
            #expect(Set(seen).count == 46, "no instance twice")
            #expect(Set(seen.map { $0.split(separator: ":")[1] }).count == 5, "all five workflows")
            // Paging upstream as documented: page mode or cursor mode, never `page` and `cursor` together.
            for request in stack.emulator("cloudflare").recorder.all where request.path.hasSuffix("/instances") {
                let names = (request.query ?? "").split(separator: "&").map { $0.split(separator: "=").first.map(String.init) ?? "" }
                #expect(names.contains("page") != names.contains("cursor"))
                #expect(request.headers[.authorization] == "Bearer \(LiveStack.Demo.cloudflareToken)")
                #expect(request.headers[.authorization] != "Bearer \(TestKeys.acmeReadWrite)")
            }
        }
    }

    @Test func aDefinitionFilterListsOnlyThatWorkflow() async throws {
        try await LiveStack.run { stack, client in
            var ids: [String] = []
            var cursor: String?
            repeat {
                let response = try await client.get("/v1/instances?definition=cf:order-fulfillment&limit=5" + (cursor.map { "&cursor=\($0)" } ?? ""))
                #expect(response.status == .ok)
                OpenAPIValidator.shared.check(response, path: "/v1/instances", method: "get")
                let items = try CFJSON.list(response)
                #expect(items.allSatisfy { ($0["definition"] as? [String: Any])?["id"] as? String == "cf:order-fulfillment" })
                ids += items.compactMap { $0["id"] as? String }
                cursor = try CFJSON.meta(response)["next_cursor"] as? String
            } while cursor != nil
            #expect(ids.count == 12 && Set(ids).count == 12)
            let paths = Set(stack.emulator("cloudflare").recorder.all.map(\.path))
            #expect(paths == ["\(Self.prefix)/order-fulfillment/instances"], "no workflow list, no other workflow")
        }
    }

    /// `failed` is one upstream word (`errored`): pushed down.
    @Test func aStatusWithOneUpstreamWordIsPushedDown() async throws {
        try await LiveStack.run { stack, client in
            let response = try await client.get("/v1/instances?connection=cf&status=failed&limit=100")
            #expect(response.status == .ok)
            OpenAPIValidator.shared.check(response, path: "/v1/instances", method: "get")
            let items = try CFJSON.list(response)
            #expect(items.count == 5)
            #expect(items.allSatisfy { $0["status"] as? String == "failed" && $0["provider_status"] as? String == "errored" })
            let lists = stack.emulator("cloudflare").recorder.all.filter { $0.path.hasSuffix("/instances") }
            #expect(lists.count == 5 && lists.allSatisfy { $0.query?.contains("status=errored") == true })
            #expect(try CFJSON.meta(response)["next_cursor"] is NSNull)
        }
    }

    /// `paused` is `paused` or `waitingForPause`: read unfiltered and filtered by the gateway.
    @Test func aStatusWithSeveralUpstreamWordsIsFilteredLocally() async throws {
        try await LiveStack.run { stack, client in
            let response = try await client.get("/v1/instances?connection=cf&status=paused,unknown&limit=100")
            #expect(response.status == .ok)
            OpenAPIValidator.shared.check(response, path: "/v1/instances", method: "get")
            let items = try CFJSON.list(response)
            let words = items.compactMap { $0["provider_status"] as? String }.sorted()
            #expect(words == ["paused", "unknown", "waitingForPause"])
            #expect(items.allSatisfy { ["paused", "unknown"].contains($0["status"] as? String) })
            let lists = stack.emulator("cloudflare").recorder.all.filter { $0.path.hasSuffix("/instances") }
            #expect(lists.allSatisfy { $0.query?.contains("status=") == false })
        }
    }

    /// Dates go up as UTC without an offset and are applied again locally.
    @Test func startedAfterAndBeforeAreSentAsUTCWithoutOffset() async throws {
        try await LiveStack.run { stack, client in
            let after = "2026-03-14T00:00:00.500Z"
            let before = "2026-03-16T12:00:00Z"
            let response = try await client.get("/v1/instances?connection=cf&started_after=\(after)&started_before=\(before)&limit=100")
            #expect(response.status == .ok)
            OpenAPIValidator.shared.check(response, path: "/v1/instances", method: "get")
            let items = try CFJSON.list(response)
            #expect(!items.isEmpty)
            let low = try Date(after, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
            let high = try Date(before, strategy: .iso8601)
            for item in items {
                let started = try #require((item["started_at"] as? String).flatMap { Timestamp8601.parse($0) })
                #expect(started >= low && started <= high)
            }
            let lists = stack.emulator("cloudflare").recorder.all.filter { $0.path.hasSuffix("/instances") }
            #expect(lists.allSatisfy { $0.query?.contains("date_start=2026-03-14T00%3A00%3A00") == true })
            #expect(lists.allSatisfy { $0.query?.contains("date_end=2026-03-16T12%3A00%3A00") == true })
            #expect(lists.allSatisfy { $0.query?.contains("Z") == false })
        }
    }

    @Test func aWorkflowFilterOnAnUnknownWorkflowIsNotFound() async throws {
        try await LiveStack.run { _, client in
            let response = try await client.get("/v1/instances?definition=cf:no-such-flow")
            #expect(response.status == .notFound)
            OpenAPIValidator.shared.check(response, path: "/v1/instances", method: "get")
            let error = try ErrorBody(response)
            #expect(error.code == "NOT_FOUND")
            #expect((error.object["upstream"] as? [String: Any])?["code"] as? String == "10200")
        }
    }
}

/// RFC 3339 with or without a fraction.
enum Timestamp8601 {
    static func parse(_ text: String) -> Date? {
        (try? Date(text, strategy: .iso8601)) ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }
}
