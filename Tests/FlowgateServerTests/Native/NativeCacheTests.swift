import AsyncHTTPClient
import FlowgateCore
import FlowgateEmulators
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Testing

/// Native calls and the response cache and idempotency records the canonical API uses.
@Suite struct NativeCacheTests {
    static let orders = "/accounts/\(LiveStack.Demo.cloudflareAccount)/workflows/order-fulfillment/instances"

    /// A native write cannot say which instance it touched: every cached answer of that connection
    /// goes, lists and instances alike.
    @Test func aNativeWriteDropsTheConnectionsCanonicalEntries() async throws {
        try await LiveStack.run { _, client in
            let detail = "/v1/instances/cf:order-fulfillment:order-10228"
            let list = "/v1/instances?connection=cf&limit=5"
            for uri in [detail, list] {
                _ = try await client.get(uri)
                #expect(try await client.get(uri).headers[.xCacheTest] == "HIT", "\(uri)")
            }
            let paused = try await client.native("cf", "\(Self.orders)/order-10228/status", .patch, body: #"{"status":"pause"}"#)
            #expect(paused.status == .ok)
            let fresh = try await client.get(detail)
            #expect(fresh.headers[.xCacheTest] == "MISS")
            #expect(try CFJSON.object(fresh)["status"] as? String == "paused")
            #expect(try await client.get(list).headers[.xCacheTest] == "MISS")
        }
    }

    /// Without `native_cache_ttl_s`, every native read goes upstream.
    @Test func nativeReadsAreNotCachedByDefault() async throws {
        try await LiveStack.run { stack, client in
            for _ in 0..<2 {
                let answer = try await client.native("cf", Self.orders)
                #expect(answer.status == .ok && answer.headers[.xCacheTest] == nil)
            }
            #expect(stack.emulator("cloudflare").recorder.count == 2)
        }
    }

    @Test func aConnectionWithANativeTTLCachesAndCoalescesItsReads() async throws {
        let config: @Sendable (LiveStack) -> String = { stack in
            stack.configYAML(
                extraConnections: """
                          - name: cfc
                            provider: cloudflare
                            base_url: \(stack.baseURL("cloudflare"))/client/v4
                            account_id: \(LiveStack.Demo.cloudflareAccount)
                            credentials: {api_token: \(LiveStack.Demo.cloudflareToken)}
                            native_cache_ttl_s: 60
                    """)
        }
        try await LiveStack.run(config: config) { stack, client in
            let cloudflare = stack.emulator("cloudflare")
            let miss = try await client.native("cfc", Self.orders)
            let hit = try await client.native("cfc", Self.orders)
            #expect(miss.headers[.xCacheTest] == "MISS" && hit.headers[.xCacheTest] == "HIT")
            #expect(miss.body == hit.body)
            #expect(cloudflare.recorder.count == 1)
            // Another key of the same tenant shares the entry; the key's scope still applies first.
            #expect(try await client.native("cfc", Self.orders, key: TestKeys.acmeReadWrite).status == .forbidden)

            _ = try await client.native("cfc", "\(Self.orders)/order-10228/status", .patch, body: #"{"status":"pause"}"#)
            #expect(try await client.native("cfc", Self.orders).headers[.xCacheTest] == "MISS", "a native write drops it")
            #expect(try await client.native("cfc", Self.orders).headers[.xCacheTest] == "HIT")
            #expect(try await client.post("/v1/instances/cfc:order-fulfillment:order-10228/resume", nil).status == .ok)
            #expect(try await client.native("cfc", Self.orders).headers[.xCacheTest] == "MISS", "so does a canonical write")

            // Five callers at once on a cold entry: one upstream call.
            cloudflare.recorder.clear()
            cloudflare.faults.add(Fault(.latency(.milliseconds(300)), count: 1))
            let port = try #require(client.port)
            let statuses = try await withHTTPClient { http in
                try await withThrowingTaskGroup(of: UInt.self) { group in
                    for _ in 0..<5 {
                        group.addTask {
                            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/connections/cfc/native\(Self.orders)?per_page=7")
                            request.headers.add(name: "Authorization", value: "Bearer \(TestKeys.acmeNative)")
                            return try await http.execute(request, timeout: .seconds(30)).status.code
                        }
                    }
                    return try await group.reduce(into: [UInt]()) { $0.append($1) }
                }
            }
            #expect(statuses == [200, 200, 200, 200, 200])
            #expect(cloudflare.recorder.count == 1)
        }
    }

    @Test func idempotencyKeysReplayNativeStarts() async throws {
        try await LiveStack.run { stack, client in
            let key: HTTPFields = [.init("Idempotency-Key")!: "native-start-1"]
            let body = #"{"instance_id":"idem-1","params":{"n":1}}"#
            let first = try await client.native("cf", Self.orders, .post, body: body, headers: key)
            #expect(first.status == .ok && first.headers[.init("Idempotent-Replayed")!] == nil)
            let again = try await client.native("cf", Self.orders, .post, body: body, headers: key)
            #expect(again.status == .ok && again.headers[.init("Idempotent-Replayed")!] == "true")
            #expect(again.body == first.body)
            #expect(stack.emulator("cloudflare").recorder.count == 1, "the replay made no upstream call")

            let other = try await client.native("cf", Self.orders, .post, body: #"{"instance_id":"idem-2"}"#, headers: key)
            try Native.gatewayError(other, status: .conflict, code: "CONFLICT", provider: .cloudflare, method: "post")

            // A refused write frees its key: the upstream's own answer comes back, and a retry runs again.
            let duplicate: HTTPFields = [.init("Idempotency-Key")!: "native-start-2"]
            let refused = try await client.native("cf", Self.orders, .post, body: body, headers: duplicate)
            #expect(refused.status.code >= 400 && refused.headers[Native.flowgateError] == nil)
            _ = try await client.native("cf", Self.orders, .post, body: body, headers: duplicate)
            #expect(stack.emulator("cloudflare").recorder.count == 3)
        }
    }
}
