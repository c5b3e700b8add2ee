import FlowgateCore
import Foundation
import Synchronization
import Testing

@testable import FlowgateProviders

/// The per-workflow fan-out and its positions against a scripted Cloudflare: every instance once,
/// whatever the page sizes, and a scan bounded per request when the gateway filters.
struct CloudflareListingTests {
    /// Workflows `a` (700 instances) and `b` (30), newest first. Every 50th instance of `a` is `paused`,
    /// one is `waitingForPause`; the rest are `complete`.
    ///
    /// Both answer styles Cloudflare's documentation allows: `pageMode` answers page requests with
    /// `result_info.page` and no cursor (the modes documented as exclusive); otherwise every answer
    /// with more to give carries a cursor (= index of the next item), page requests included.
    final class ScriptedCloudflare: UpstreamTransport {
        let calls = Mutex<[UpstreamCall]>([])
        let pageMode: Bool

        init(pageMode: Bool) {
            self.pageMode = pageMode
        }

        static func status(_ workflow: String, _ index: Int) -> String {
            guard workflow == "a" else { return "complete" }
            if index == 650 { return "waitingForPause" }
            return index % 50 == 0 ? "paused" : "complete"
        }

        func send(_ call: UpstreamCall) async throws -> UpstreamReply {
            calls.withLock { $0.append(call) }
            let parts = call.path.split(separator: "/")
            let query = Dictionary(call.query.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
            if parts.last == "workflows" {
                return Self.reply(
                    #"{"success":true,"errors":[],"messages":[],"result":[{"name":"a"},{"name":"b"}],"result_info":{"count":2,"per_page":100,"total_count":2,"page":1}}"#
                )
            }
            let workflow = String(parts[3])
            let count = workflow == "a" ? 700 : 30
            let perPage = Int(query["per_page"] ?? "50") ?? 50
            let pageNumber = Int(query["page"] ?? "1") ?? 1
            #expect(query["page"] == nil || query["cursor"] == nil, "page and cursor are exclusive")
            let matching = (0..<count).filter { query["status"] == nil || Self.status(workflow, $0) == query["status"] }
            let indices =
                query["cursor"].flatMap(Int.init).map { cursor in matching.filter { $0 >= cursor } }
                ?? Array(matching.dropFirst((pageNumber - 1) * perPage))
            let page = Array(indices.prefix(perPage))
            let base = Date(timeIntervalSince1970: 1_800_000_000)
            let items = page.map { index in
                let created = Timestamp.format(base.addingTimeInterval(-Double(index) * (workflow == "a" ? 60 : 1_400)))
                return
                    #"{"id":"\#(workflow)-\#(index)","status":"\#(Self.status(workflow, index))","created_on":"\#(created)","modified_on":"\#(created)","ended_on":null,"started_on":null}"#
            }
            let more = indices.count > page.count
            let next =
                query["cursor"] == nil && pageMode ? #","page":\#(pageNumber)"# : more ? #","cursor":"\#((page.last ?? 0) + 1)""# : ""
            return Self.reply(
                #"{"success":true,"errors":[],"messages":[],"result":[\#(items.joined(separator: ","))],"result_info":{"count":\#(page.count),"per_page":\#(perPage),"total_count":\#(matching.count)\#(next)}}"#
            )
        }

        static func reply(_ text: String) -> UpstreamReply {
            UpstreamReply(status: 200, headers: ["content-type": "application/json"], body: Array(text.utf8))
        }
    }

    static func adapter(_ transport: ScriptedCloudflare) -> CloudflareAdapter {
        let paths = [
            "list_definitions": "/accounts/{account_id}/workflows", "list_workflows": "/accounts/{account_id}/workflows",
            "list_instances": "/accounts/{account_id}/workflows/{workflow}/instances",
        ]
        let routes = ProviderRoutes(
            provider: .cloudflare, routes: paths.mapValues { .init(method: "GET", path: $0, bucket: "default") },
            buckets: ["default": BucketSpec(.rate(perSecond: 1, burst: 1))]
        )
        let connection = ProviderConnection(
            name: "cf", kind: .cloudflare, credentials: ["api_token": Secret("t0ken")], accountID: "acc", routes: routes)
        return CloudflareAdapter(connection: connection, transport: transport)
    }

    /// Pages as the server would with one connection: the page holds at most `limit`, all taken.
    static func everything(_ adapter: CloudflareAdapter, filter: InstanceFilter, limits: [Int]) async throws -> (ids: [String], pages: Int) {
        var ids: [String] = []
        var position: JSONValue?
        var pages = 0
        repeat {
            let page = try await adapter.listInstances(
                InstancePageRequest(filter: filter, limit: limits[pages % limits.count], position: position, includeRaw: false)
            )
            #expect(page.items.count <= limits[pages % limits.count])
            let started = page.items.compactMap(\.instance.startedAt)
            #expect(started == started.sorted(by: >))
            ids += page.items.map(\.instance.id.native)
            position = page.end
            pages += 1
        } while position != nil && pages < 2_000
        return (ids, pages)
    }

    @Test(arguments: [true, false])
    func everyInstanceOnceWhateverThePageSizes(pageMode: Bool) async throws {
        let transport = ScriptedCloudflare(pageMode: pageMode)
        let (ids, _) = try await Self.everything(Self.adapter(transport), filter: InstanceFilter(), limits: [7, 100, 3, 41])
        #expect(ids.count == 730 && Set(ids).count == 730)
        let lists = transport.calls.withLock { $0 }.filter { $0.route == "list_instances" }
        let paged = lists.filter { call in call.query.contains { $0.name == "page" } }
        let cursored = lists.filter { call in call.query.contains { $0.name == "cursor" } }
        #expect(paged.count + cursored.count == lists.count, "every request names its page one way")
        if pageMode {
            #expect(cursored.isEmpty, "no cursor was ever handed out")
        } else {
            #expect(paged.allSatisfy { call in call.query.contains { $0 == ("page", "1") } }, "the first page's cursor is followed")
        }
    }

    /// `paused` is read unfiltered: a request scans at most 5 pages of a workflow, so the page may come
    /// back short (even empty) with a cursor, and the next one resumes the scan.
    @Test(arguments: [true, false])
    func localFilteringIsBoundedAndResumes(pageMode: Bool) async throws {
        let transport = ScriptedCloudflare(pageMode: pageMode)
        let filter = InstanceFilter(statuses: [.paused])
        let (ids, pages) = try await Self.everything(Self.adapter(transport), filter: filter, limits: [20])
        let expected = (0..<700).filter { $0 % 50 == 0 || $0 == 650 }.map { "a:a-\($0)" }
        #expect(ids.sorted() == expected.sorted() && ids.count == expected.count)
        #expect(pages == 2, "14 of 15 found within 500 items, the last one after the bound")
        let lists = transport.calls.withLock { $0 }.filter { $0.route == "list_instances" }
        #expect(lists.allSatisfy { call in !call.query.contains { $0.name == "status" } })
        #expect(lists.allSatisfy { call in call.query.contains { $0 == ("per_page", "100") } })
    }

    @Test(arguments: [true, false])
    func aPushedDownStatusReadsOnlyWhatItNeeds(pageMode: Bool) async throws {
        let transport = ScriptedCloudflare(pageMode: pageMode)
        let (ids, _) = try await Self.everything(
            Self.adapter(transport), filter: InstanceFilter(statuses: [.completed], definition: "b"), limits: [10])
        #expect(ids.count == 30)
        let lists = transport.calls.withLock { $0 }
        #expect(lists.allSatisfy { call in call.query.contains { $0 == ("status", "complete") } && call.query.contains { $0 == ("per_page", "10") } })
        #expect(lists.count == 3)
    }

    /// Where a page-mode answer without a cursor continues: by `total_count`, else by a full page.
    @Test func theNextPageFollowsTheDocumentedTotals() {
        let items = Array(repeating: JSONValue.object([:]), count: 25)
        func next(
            _ info: CloudflareListInfo, asked: CloudflareStreamPosition.Page = .number(2, perPage: 25), count: Int = 25
        ) -> CloudflareStreamPosition.Page? {
            CloudflareListPage(items: Array(items.prefix(count)), asked: asked, info: info).next
        }
        #expect(next(.init(cursor: nil, perPage: 25, totalCount: 51)) == .number(3, perPage: 25))
        #expect(next(.init(cursor: nil, perPage: 25, totalCount: 50)) == nil, "2 × 25 = 50: done")
        #expect(next(.init(cursor: nil, perPage: nil, totalCount: nil)) == .number(3, perPage: 25), "no total: a full page goes on")
        #expect(next(.init(cursor: nil, perPage: nil, totalCount: nil), count: 24) == nil, "no total: a short page ends")
        #expect(next(.init(cursor: "c2", perPage: 25, totalCount: 50)) == .cursor("c2"), "a cursor is followed whenever one is handed out")
        #expect(next(.init(cursor: nil, perPage: 25, totalCount: 99), asked: .cursor("c1")) == nil, "cursor mode without a cursor ends")
        #expect(next(.init(cursor: nil, perPage: 10, totalCount: 99), asked: .number(1, perPage: 25), count: 10) == .number(2, perPage: 10))
    }

    /// Positions carry either an upstream cursor or a page number with its page size.
    @Test func streamPositionsRoundTrip() {
        for position in [
            CloudflareStreamPosition(page: .number(4, perPage: 25), skip: 3), CloudflareStreamPosition(page: .cursor("abc"), skip: 0),
        ] {
            #expect(CloudflareStreamPosition(position.json, perPage: 50) == position)
        }
        #expect(CloudflareStreamPosition(.object(["cursor": .null, "skip": .int(2)]), perPage: 50) == .init(page: .number(1, perPage: 50), skip: 2))
        #expect(CloudflareStreamPosition(.object(["page": .int(0), "per_page": .int(25), "skip": .int(0)]), perPage: 50) == nil)
        #expect(CloudflareStreamPosition(.object(["page": .int(2), "per_page": .int(500), "skip": .int(0)]), perPage: 50) == nil)
        #expect(CloudflareStreamPosition(.object(["page": .int(2), "cursor": .string("x"), "skip": .int(0)]), perPage: 50) == nil)
    }
}
