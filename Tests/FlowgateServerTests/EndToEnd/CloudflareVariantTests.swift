import AsyncHTTPClient
import FlowgateEmulators
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationEssentialsCompat
import NIOHTTP1
import Testing

/// Cloudflare documents page mode and cursor mode as exclusive; an answer to a request without a
/// cursor may or may not hand one out. Either way, a workflow of 250 instances listed through the
/// canonical cursor gives each exactly once, newest first.
@Suite struct CloudflareVariantTests {
    static let workflow = "nightly-report"
    static let prefix = "/client/v4/accounts/\(LiveStack.Demo.cloudflareAccount)/workflows/\(workflow)/instances"

    /// Creates `count` instances `bulk-<n>` (params `{"n": n}`) through the emulator's batch endpoint.
    static func seed(_ count: Int, port: Int) async throws {
        for start in stride(from: 0, to: count, by: 100) {
            let bodies = (start..<min(count, start + 100)).map { #"{"instance_id":"bulk-\#($0)","params":{"n":\#($0)}}"# }
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(prefix)/batch")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(LiveStack.Demo.cloudflareToken)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: "[\(bodies.joined(separator: ","))]"))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            #expect(response.status.code == 200)
            _ = try await response.body.collect(upTo: 1 << 20)
        }
    }

    /// How many instances the emulator itself says the workflow has (`result_info.total_count`).
    static func upstreamTotal(port: Int) async throws -> Int {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(prefix)?page=1&per_page=1")
        request.headers.add(name: "Authorization", value: "Bearer \(LiveStack.Demo.cloudflareToken)")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        let document = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
        return try #require((document?["result_info"] as? [String: Any])?["total_count"] as? Int)
    }

    @Test(arguments: CloudflareListing.allCases, [25, 40, 100])
    func aWorkflowOf250ListsEachInstanceOnce(listing: CloudflareListing, limit: Int) async throws {
        try await LiveStack.run(emulators: variantEmulators(cloudflare: [listing])) { stack, client in
            let port = stack.ports["cloudflare"] ?? 0
            try await Self.seed(250, port: port)
            let total = try await Self.upstreamTotal(port: port)
            #expect(total > 250, "the seeded instances and the 250 created")
            stack.emulator("cloudflare").recorder.clear()
            var ids: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let uri = "/v1/instances?connection=cf&definition=cf:\(Self.workflow)&limit=\(limit)" + (cursor.map { "&cursor=\($0)" } ?? "")
                let response = try await GeoB24.get(client, uri)
                #expect(response.status == .ok)
                OpenAPIValidator.shared.check(response, path: "/v1/instances", method: "get")
                let items = try CFJSON.list(response)
                #expect(items.count <= limit)
                let started = items.compactMap(startedAt)
                #expect(started == started.sorted(by: >), "newest first")
                ids += items.compactMap { $0["id"] as? String }
                cursor = try CFJSON.meta(response)["next_cursor"] as? String
                pages += 1
            } while cursor != nil && pages < 100
            let created = Set((0..<250).map { "cf:\(Self.workflow):bulk-\($0)" })
            #expect(Set(ids).count == ids.count, "no instance twice")
            #expect(created.isSubset(of: Set(ids)), "every created instance listed: \(created.subtracting(ids).count) missing")
            #expect(ids.count == total, "and nothing else")

            let calls = stack.emulator("cloudflare").recorder.all.filter { $0.path == Self.prefix }
            let names = calls.map { call in
                Set((call.query ?? "").split(separator: "&").compactMap { $0.split(separator: "=").first.map(String.init) })
            }
            #expect(names.allSatisfy { !($0.contains("page") && $0.contains("cursor")) }, "never page and cursor together")
            #expect(names.first?.contains("page") == true, "the first request is page mode")
            switch listing {
            case .pageMode: #expect(names.allSatisfy { !$0.contains("cursor") }, "no cursor was handed out, none is sent")
            case .firstPageCursor: #expect(names.dropFirst().allSatisfy { $0.contains("cursor") }, "the handed-out cursor is followed")
            }
        }
    }

    /// A Cloudflare instance's start input is its `variables`.
    @Test func theStartInputIsTheDetailsVariables() async throws {
        try await LiveStack.run { stack, client in
            try await Self.seed(3, port: stack.ports["cloudflare"] ?? 0)
            let response = try await client.get("/v1/instances/cf:\(Self.workflow):bulk-2")
            #expect(response.status == .ok)
            OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}", method: "get")
            #expect(try CFJSON.object(response)["variables"] as? [String: Int] == ["n": 2])
        }
    }
}
