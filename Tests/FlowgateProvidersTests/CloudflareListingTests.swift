import FlowgateCore
@testable import FlowgateProviders
import Foundation
import Synchronization
import Testing

/// The per-workflow fan-out and its positions against a scripted Cloudflare: every instance once,
/// whatever the page sizes, and a scan bounded per request when the gateway filters.
struct CloudflareListingTests {
    /// Workflows `a` (700 instances) and `b` (30), newest first, cursor = index of the next item.
    /// Every 50th instance of `a` is `paused`, one is `waitingForPause`; the rest are `complete`.
    final class ScriptedCloudflare: UpstreamTransport {
        let calls = Mutex<[UpstreamCall]>([])

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
                return Self.reply(#"{"success":true,"errors":[],"messages":[],"result":[{"name":"a"},{"name":"b"}],"result_info":{"count":2,"per_page":100,"total_count":2,"page":1}}"#)
            }
            let workflow = String(parts[3])
            let count = workflow == "a" ? 700 : 30
            let perPage = Int(query["per_page"] ?? "50") ?? 50
            let start = Int(query["cursor"] ?? "0") ?? 0
            let indices = (start..<count).filter { query["status"] == nil || Self.status(workflow, $0) == query["status"] }
            let page = Array(indices.prefix(perPage))
            let base = Date(timeIntervalSince1970: 1_800_000_000)
            let items = page.map { index in
                let created = Timestamp.format(base.addingTimeInterval(-Double(index) * (workflow == "a" ? 60 : 1_400)))
                return #"{"id":"\#(workflow)-\#(index)","status":"\#(Self.status(workflow, index))","created_on":"\#(created)","modified_on":"\#(created)","ended_on":null,"started_on":null}"#
            }
            let next = indices.count > page.count ? #","cursor":"\#((page.last ?? 0) + 1)""# : ""
            return Self.reply(#"{"success":true,"errors":[],"messages":[],"result":[\#(items.joined(separator: ","))],"result_info":{"count":\#(page.count),"per_page":\#(perPage),"total_count":\#(indices.count)\#(next)}}"#)
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
        let connection = ProviderConnection(name: "cf", kind: .cloudflare, credentials: ["api_token": Secret("t0ken")], accountID: "acc", routes: routes)
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

    @Test func everyInstanceOnceWhateverThePageSizes() async throws {
        let transport = ScriptedCloudflare()
        let (ids, _) = try await Self.everything(Self.adapter(transport), filter: InstanceFilter(), limits: [7, 100, 3, 41])
        #expect(ids.count == 730 && Set(ids).count == 730)
        #expect(transport.calls.withLock { $0 }.allSatisfy { call in !call.query.contains { $0.name == "page" } || call.route != "list_instances" })
    }

    /// `paused` is read unfiltered: a request scans at most 5 pages of a workflow, so the page may come
    /// back short (even empty) with a cursor, and the next one resumes the scan.
    @Test func localFilteringIsBoundedAndResumes() async throws {
        let transport = ScriptedCloudflare()
        let filter = InstanceFilter(statuses: [.paused])
        let (ids, pages) = try await Self.everything(Self.adapter(transport), filter: filter, limits: [20])
        let expected = (0..<700).filter { $0 % 50 == 0 || $0 == 650 }.map { "a:a-\($0)" }
        #expect(ids.sorted() == expected.sorted() && ids.count == expected.count)
        #expect(pages == 2, "14 of 15 found within 500 items, the last one after the bound")
        let lists = transport.calls.withLock { $0 }.filter { $0.route == "list_instances" }
        #expect(lists.allSatisfy { call in !call.query.contains { $0.name == "status" } })
        #expect(lists.allSatisfy { call in call.query.contains { $0 == ("per_page", "100") } })
    }

    @Test func aPushedDownStatusReadsOnlyWhatItNeeds() async throws {
        let transport = ScriptedCloudflare()
        let (ids, _) = try await Self.everything(Self.adapter(transport), filter: InstanceFilter(statuses: [.completed], definition: "b"), limits: [10])
        #expect(ids.count == 30)
        let lists = transport.calls.withLock { $0 }
        #expect(lists.allSatisfy { call in call.query.contains { $0 == ("status", "complete") } && call.query.contains { $0 == ("per_page", "10") } })
        #expect(lists.count == 3)
    }
}
