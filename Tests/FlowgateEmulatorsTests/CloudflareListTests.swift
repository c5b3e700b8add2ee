import FlowgateEmulators
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

struct CloudflareListTests {
    static var utcMillis: Regex<Substring> { #/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/# }
    static var uuid: Regex<Substring> { #/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/# }

    @Test func workflowsListWithCountsAndPaging() async throws {
        try await CloudflareEmulator(now: TestClock().reader).makeApplication(port: 0).test(.router) { client in
            let session = CloudflareSession(client: client)
            let all = try await session.list(CloudflareSession.base)
            #expect(
                try all.items.map { try $0.string("name") } == [
                    "image-processing", "invoice-reminders", "nightly-report", "order-fulfillment", "user-onboarding",
                ])
            #expect(try all.info.int("total_count") == 5)
            #expect(try all.info.int("page") == 1)
            let orders = try #require(try all.items.first { try $0.string("name") == "order-fulfillment" })
            #expect(try orders.string("id").wholeMatch(of: Self.uuid) != nil)
            #expect(try orders.string("class_name") == "OrderFulfillmentWorkflow")
            #expect(try orders.string("script_name") == "shop-backend")
            #expect(try orders.string("created_on").wholeMatch(of: Self.utcMillis) != nil)
            #expect(try orders.object("instances").int("waiting") == 2)
            #expect(try orders.object("instances").int("complete") == 4)
            let report = try #require(try all.items.first { try $0.string("name") == "nightly-report" })
            #expect(try report.array("schedules").first?.string("next_instance") == "2026-03-21T02:00:00.000Z")
            let page = try await session.list("\(CloudflareSession.base)?page=2&per_page=2")
            #expect(try page.items.map { try $0.string("name") } == ["nightly-report", "order-fulfillment"])
            #expect(try page.info.int("count") == 2 && page.info.int("per_page") == 2 && page.info.int("total_count") == 5)
            let search = try await session.list("\(CloudflareSession.base)?search=invoice")
            #expect(try search.items.map { try $0.string("name") } == ["invoice-reminders"])
            let one = try await session.result("\(CloudflareSession.base)/user-onboarding")
            #expect(try one.string("class_name") == "UserOnboardingWorkflow")
        }
    }

    @Test func instancesPageByPageNumberNewestFirst() async throws {
        try await CloudflareEmulator(now: TestClock().reader).makeApplication(port: 0).test(.router) { client in
            let session = CloudflareSession(client: client)
            let first = try await session.list("\(CloudflareSession.orders)?page=1&per_page=5")
            #expect(try first.items.map { try $0.string("id") } == ["order-10231", "order-10230", "order-10229", "order-10228", "order-10227"])
            #expect(try first.info.int("count") == 5)
            #expect(try first.info.int("per_page") == 5)
            #expect(try first.info.int("total_count") == 12)
            #expect(try first.info.int("page") == 1)
            #expect(first.info["cursor"] == nil, "a page-mode answer gets no cursor")
            let third = try await session.list("\(CloudflareSession.orders)?page=3&per_page=5")
            #expect(try third.items.map { try $0.string("id") } == ["order-10221", "order-10220"])
            let item = try #require(first.items.first)
            #expect(
                item.keys == ["id", "created_on", "ended_on", "modified_on", "started_on", "status", "version_id", "workflow_id", "trigger_source"])
            #expect(try item.string("status") == "queued")
            #expect(item.isNull("started_on") && item.isNull("ended_on"))
            #expect(try item.string("created_on").wholeMatch(of: Self.utcMillis) != nil)
            #expect(try item.string("trigger_source") == "api")
            let defaults = try await session.list(CloudflareSession.orders)
            #expect(try defaults.info.int("per_page") == 50)
            #expect(defaults.items.count == 12)
        }
    }

    /// The standard answer keeps the documented modes apart: a request without a cursor is page mode,
    /// and its answer hands out no cursor.
    @Test func withoutACursorTheListIsPageModeThroughout() async throws {
        try await CloudflareEmulator(now: TestClock().reader).makeApplication(port: 0).test(.router) { client in
            let session = CloudflareSession(client: client)
            let first = try await session.list("\(CloudflareSession.orders)?per_page=5")
            #expect(try first.info.int("page") == 1 && first.info["cursor"] == nil)
            let last = try await session.list("\(CloudflareSession.orders)?page=3&per_page=5")
            #expect(try last.items.map { try $0.string("id") } == ["order-10221", "order-10220"] && last.info["cursor"] == nil)
        }
    }

    /// The `first_page_cursor` variant: answers to page requests also hand out a cursor when more follow.
    @Test func instancesPageByCursorInBothDirections() async throws {
        try await CloudflareEmulator(now: TestClock().reader, variants: [CloudflareListing.firstPageCursor]).makeApplication(port: 0).test(.router) {
            client in
            let session = CloudflareSession(client: client)
            var ids: [String] = []
            var next = try await session.list("\(CloudflareSession.orders)?per_page=5")
            ids += try next.items.map { try $0.string("id") }
            while let cursor = next.info["cursor"] as? String {
                next = try await session.list("\(CloudflareSession.orders)?per_page=5&cursor=\(cursor)")
                #expect(next.info["page"] == nil, "cursor mode has no page")
                ids += try next.items.map { try $0.string("id") }
            }
            #expect(ids == (10220...10231).reversed().map { "order-\($0)" })
            let start = try await session.list("\(CloudflareSession.orders)?per_page=3")
            let cursor = try #require(start.info["cursor"] as? String)
            let back = try await session.list("\(CloudflareSession.orders)?per_page=2&cursor=\(cursor)&direction=asc")
            #expect(try back.items.map { try $0.string("id") } == ["order-10230", "order-10231"], "asc walks back towards newer instances")
            #expect(back.info["cursor"] == nil)
        }
    }

    @Test func pageAndCursorAreMutuallyExclusiveAndBadQueriesAre10002() async throws {
        try await CloudflareEmulator(now: TestClock().reader, variants: [CloudflareListing.firstPageCursor]).makeApplication(port: 0).test(.router) {
            client in
            let session = CloudflareSession(client: client)
            let start = try await session.list("\(CloudflareSession.orders)?per_page=3")
            let cursor = try #require(start.info["cursor"] as? String)
            let both = try CloudflareFailure(try await session.get("\(CloudflareSession.orders)?page=2&cursor=\(cursor)"))
            #expect(both == CloudflareFailure(400, 10002, "page and cursor are mutually exclusive, use one or the other"))
            for query in [
                "per_page=0", "per_page=101", "page=0", "status=done", "status=unknown", "cursor=bm9wZQ", "direction=up&cursor=\(cursor)",
                "date_start=2026-03-15T10:00:00%2B02:00", "date_end=yesterday",
            ] {
                let failure = try CloudflareFailure(try await session.get("\(CloudflareSession.orders)?\(query)"))
                #expect(failure.status == 400 && failure.code == 10002, "\(query)")
            }
        }
    }

    @Test func instancesFilterByStatusAndUTCDates() async throws {
        try await CloudflareEmulator(now: TestClock().reader).makeApplication(port: 0).test(.router) { client in
            let session = CloudflareSession(client: client)
            var total = 0
            for status in ["queued", "running", "paused", "errored", "terminated", "complete", "waitingForPause", "waiting"] {
                let page = try await session.list("\(CloudflareSession.orders)?status=\(status)")
                #expect(!page.items.isEmpty, "the seed has \(status) orders")
                #expect(try page.items.allSatisfy { try $0.string("status") == status })
                total += try page.info.int("total_count")
            }
            #expect(total == 12)
            let window = try await session.list("\(CloudflareSession.orders)?date_start=2026-03-12T00:00:00&date_end=2026-03-15T23:59:59")
            #expect(!window.items.isEmpty)
            #expect(
                try window.items.allSatisfy {
                    try $0.string("created_on") >= "2026-03-12T00:00:00.000Z" && $0.string("created_on") <= "2026-03-15T23:59:59.999Z"
                })
            let zulu = try await session.list("\(CloudflareSession.orders)?date_start=2026-03-12T00:00:00Z&date_end=2026-03-15T23:59:59Z")
            #expect(try zulu.info.int("total_count") == window.info.int("total_count"))
        }
    }
}
