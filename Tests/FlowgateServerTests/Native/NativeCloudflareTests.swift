import AsyncHTTPClient
import FlowgateEmulators
import FlowgateServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Testing

/// Cloudflare's own API through the native route, against the emulator: what the client sends reaches
/// Cloudflare with the connection's token instead of the gateway key, and the answers come back as sent.
@Suite struct NativeCloudflareTests {
    static let account = "/accounts/\(LiveStack.Demo.cloudflareAccount)/workflows"
    static let upstream = "/client/v4\(account)"

    @Test func listGetCreateChangeAndSignalNatively() async throws {
        try await LiveStack.run { stack, client in
            let cloudflare = stack.emulator("cloudflare")
            let workflows = try await client.native("cf", "\(Self.account)?page=1&per_page=2")
            #expect(workflows.status == .ok)
            let listed = try Native.json(workflows)
            #expect(listed["success"] as? Bool == true)
            #expect((listed["result"] as? [[String: Any]])?.count == 2)
            #expect((listed["result_info"] as? [String: Any])?["per_page"] as? Int == 2)
            let sentList = try #require(cloudflare.recorder.all.last)
            #expect(sentList.path == Self.upstream && sentList.query == "page=1&per_page=2", "the query goes as written")

            let page = try await client.native("cf", "\(Self.account)/order-fulfillment/instances?per_page=3&status=running")
            #expect(page.status == .ok)
            let items = try #require(try Native.json(page)["result"] as? [[String: Any]])
            #expect(!items.isEmpty && items.allSatisfy { $0["status"] as? String == "running" })

            let created = try await client.native(
                "cf", "\(Self.account)/order-fulfillment/instances", .post, body: #"{"instance_id":"native-1","params":{"order":7}}"#
            )
            #expect(created.status == .ok)
            #expect((try Native.json(created)["result"] as? [String: Any])?["id"] as? String == "native-1")
            let createCall = try #require(cloudflare.recorder.all.last)
            #expect(String(buffer: createCall.body) == #"{"instance_id":"native-1","params":{"order":7}}"#, "the body goes byte for byte")
            #expect(createCall.headers[.contentType] == "application/json")

            let detail = try await client.native("cf", "\(Self.account)/order-fulfillment/instances/native-1")
            #expect((try Native.json(detail)["result"] as? [String: Any])?["params"] as? [String: Int] == ["order": 7])

            for action in ["pause", "resume", "terminate"] {
                let changed = try await client.native(
                    "cf", "\(Self.account)/order-fulfillment/instances/order-10228/status", .patch, body: #"{"status":"\#(action)"}"#
                )
                #expect(changed.status == .ok, "\(action)")
            }
            let event = try await client.native(
                "cf", "\(Self.account)/order-fulfillment/instances/order-10226/events/warehouse-picked", .post, body: #"{"boxes":2}"#
            )
            #expect(event.status == .ok)

            Native.checkCredentials(cloudflare.recorder.all, header: .authorization, credential: "Bearer \(LiveStack.Demo.cloudflareToken)")
        }
    }

    /// Status, headers and body exactly as the upstream sent them, an upstream error included (its
    /// envelope, not the gateway's); hop-by-hop headers and cookies stay on the gateway's side.
    @Test func answersPassThroughAsSent() async throws {
        try await LiveStack.run { stack, client in
            let missing = try await client.native("cf", "\(Self.account)/order-fulfillment/instances/nope")
            #expect(missing.status == .notFound)
            #expect(missing.headers[Native.flowgateError] == nil, "the upstream's own answer")
            let errors = try #require(try Native.json(missing)["errors"] as? [[String: Any]])
            #expect(errors.first?["code"] as? Int == 10400)

            // HEAD answers what the upstream answers to HEAD (the emulator serves no HEAD: its 404), without a body.
            let head = try await client.native("cf", "\(Self.account)/order-fulfillment", .head)
            let direct = try await withHTTPClient { http in
                var request = HTTPClientRequest(url: "\(stack.baseURL("cloudflare"))\(Self.upstream)/order-fulfillment")
                request.method = .HEAD
                request.headers.add(name: "Authorization", value: "Bearer \(LiveStack.Demo.cloudflareToken)")
                return try await http.execute(request, timeout: .seconds(10)).status.code
            }
            #expect(head.status.code == Int(direct) && head.body.readableBytes == 0)

            let traced = try await client.native(
                "cf", Self.account, headers: [.init("X-Request-Id")!: "trace-native-1", .cookie: "session=abc", .init("X-Api-Key")!: "client-key"]
            )
            #expect(traced.status == .ok && traced.headers[.init("X-Request-Id")!] == "trace-native-1")
            let sent = try #require(stack.emulator("cloudflare").recorder.all.last)
            #expect(sent.headers[.init("X-Request-Id")!] == "trace-native-1", "the request id goes upstream")
            #expect(sent.headers[.cookie] == nil && sent.headers[.init("X-Api-Key")!] == nil, "client credentials stay here")
        }
    }

    /// A body sent chunked (no length) is read within the limit and sent on; one with a length streams.
    @Test func chunkedAndSizedBodiesBothArrive() async throws {
        try await LiveStack.run { stack, client in
            let port = try #require(client.port)
            let body = #"{"instance_id":"chunked-1","params":{"n":1}}"#
            let status = try await withHTTPClient { http in
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/connections/cf/native\(Self.account)/order-fulfillment/instances")
                request.method = .POST
                request.headers.add(name: "Authorization", value: "Bearer \(TestKeys.acmeNative)")
                request.headers.add(name: "Content-Type", value: "application/json")
                let (parts, writer) = AsyncStream.makeStream(of: ByteBuffer.self)
                writer.yield(ByteBuffer(string: String(body.prefix(10))))
                writer.yield(ByteBuffer(string: String(body.dropFirst(10))))
                writer.finish()
                request.body = .stream(parts, length: .unknown)
                return try await http.execute(request, timeout: .seconds(30)).status.code
            }
            #expect(status == 200)
            let sent = try #require(stack.emulator("cloudflare").recorder.all.last)
            #expect(String(buffer: sent.body) == body)
            #expect(sent.headers[.contentLength] == String(body.utf8.count), "sent on with its length, now known")
        }
    }

    /// Upstream metrics name every native call `operation="native"`; the access log has the route template.
    @Test func nativeCallsAreCountedAsNative() async throws {
        let metrics = GatewayMetrics()
        try await LiveStack.run(metrics: metrics) { _, client in
            _ = try await client.native("cf", Self.account)
            let exposition = String(decoding: metrics.exposition(), as: UTF8.self)
            #expect(exposition.contains(#"operation="native""#))
            #expect(exposition.contains(#"route="/v1/connections/{name}/native/**""#))
        }
    }
}
