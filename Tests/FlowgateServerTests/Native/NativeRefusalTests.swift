import FlowgateCore
import FlowgateEmulators
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// What the native route refuses before any upstream call, each in the envelope of the provider the
/// client speaks, with the canonical code in `X-Flowgate-Error`.
@Suite struct NativeRefusalTests {
    static let account = "/accounts/\(LiveStack.Demo.cloudflareAccount)/workflows"

    @Test(arguments: [
        ("/accounts/other0account/workflows", 403, "FORBIDDEN"),
        ("/zones/abc/dns_records", 403, "FORBIDDEN"),
        ("/accounts/\(LiveStack.Demo.cloudflareAccount)/workers/scripts", 403, "FORBIDDEN"),
        ("/accounts/\(LiveStack.Demo.cloudflareAccount)/workflows/../../other0account/workflows", 400, "INVALID_REQUEST"),
        ("/accounts/\(LiveStack.Demo.cloudflareAccount)/workflows/%2e%2e/%2E%2E/x", 400, "INVALID_REQUEST"),
        ("/accounts/\(LiveStack.Demo.cloudflareAccount)/workflows/a%2Fb", 400, "INVALID_REQUEST"),
        ("/accounts/\(LiveStack.Demo.cloudflareAccount)/workflows/a%5Cb", 400, "INVALID_REQUEST"),
        ("/accounts/\(LiveStack.Demo.cloudflareAccount)/workflows/a%252e", 400, "INVALID_REQUEST"),
    ])
    func pathsOutsideTheAllowListNeverLeave(path: String, status: Int, code: String) async throws {
        try await LiveStack.run { stack, client in
            let response = try await client.native("cf", path)
            let (cloudflareCode, message) = try Native.gatewayError(response, status: .init(code: status), code: code, provider: .cloudflare)
            #expect(cloudflareCode == (status == 403 ? "10000" : "400"))
            if status == 403 { #expect(message.contains("/accounts/{account_id}/workflows/**"), "the refusal names the rule") }
            #expect(stack.emulator("cloudflare").recorder.count == 0)
        }
    }

    @Test func otherProvidersRefuseInTheirOwnEnvelopes() async throws {
        try await LiveStack.run { stack, client in
            let (geo, _) = try Native.gatewayError(
                try await client.native("geo", "/apidev/v1/login", .post, body: "{}"), status: .forbidden, code: "FORBIDDEN", provider: .geotareas,
                method: "post")
            #expect(geo == "FORBIDDEN")
            let (bitrix, _) = try Native.gatewayError(
                try await client.native("b24", "/v1/crm.deal.list"), status: .forbidden, code: "FORBIDDEN", provider: .bitrix24)
            #expect(bitrix == "SCOPE_DENIED")
            let (workingflow, message) = try Native.gatewayError(
                try await client.native("wf", "/admin/api-keys"), status: .forbidden, code: "FORBIDDEN", provider: .workingflow)
            #expect(workingflow == "FORBIDDEN" && message.contains("/processapi/**"))
            let (dots, _) = try Native.gatewayError(
                try await client.native("wf", "/processapi/%2E%2E/admin"), status: .badRequest, code: "INVALID_REQUEST", provider: .workingflow)
            #expect(dots == "INVALID_REQUEST")
            for name in ["geotareas", "bitrix24", "workingflow"] { #expect(stack.emulator(name).recorder.count == 0, "\(name)") }
        }
    }

    /// The `native` scope is its own: a key with read and execute cannot use the route, nor a bad key;
    /// another tenant's connection is as unknown as a missing one.
    @Test func scopeKeyAndConnectionAreChecked() async throws {
        try await LiveStack.run { stack, client in
            let noScope = try await client.native("cf", Self.account, key: TestKeys.acmeReadWrite)
            let (code, message) = try Native.gatewayError(noScope, status: .forbidden, code: "FORBIDDEN", provider: .cloudflare)
            #expect(code == "10000" && message.contains("native"))

            let badKey = try await client.native("cf", Self.account, key: "fgk_not_a_key")
            try Native.gatewayError(badKey, status: .unauthorized, code: "UNAUTHENTICATED", provider: .cloudflare)
            let noKey = try await client.execute(uri: "/v1/connections/wf/native/processapi/list", method: .get, headers: [:], body: nil)
            try Native.gatewayError(noKey, status: .unauthorized, code: "UNAUTHENTICATED", provider: .workingflow)

            let foreign = try await client.native("gx", "/processapi/list")
            try Native.gatewayError(foreign, status: .notFound, code: "NOT_FOUND", provider: .workingflow)

            // Outside every provider's shape and without a key: nothing says which upstream, so the canonical envelope.
            let unknown = try await client.execute(uri: "/v1/connections/cf/native/nowhere", method: .get, headers: [:], body: nil)
            #expect(unknown.status == .unauthorized)
            _ = try ErrorBody(unknown)

            for name in ["cloudflare", "workingflow"] { #expect(stack.emulator(name).recorder.count == 0, "\(name)") }
        }
    }

    /// Refused by the router-wide limits, before the route's own work: still the provider's envelope.
    @Test func aBodyOverTheLimitIs413InTheProvidersEnvelope() async throws {
        try await LiveStack.run(config: { $0.configYAML(server: "  max_body_bytes: 64") }) { stack, client in
            let body = #"{"instance_id":"big","params":{"blob":"\#(String(repeating: "x", count: 100))"}}"#
            let response = try await client.native("cf", "\(Self.account)/order-fulfillment/instances", .post, body: body)
            let (code, _) = try Native.gatewayError(
                response, status: .contentTooLarge, code: "PAYLOAD_TOO_LARGE", provider: .cloudflare, method: "post")
            #expect(code == "413")
            #expect(stack.emulator("cloudflare").recorder.count == 0)
        }
    }

    /// What reaches the upstream client is capped (docs/hostile-input.md): a path that re-encodes past
    /// 8 KiB is `414`, forwarded headers past 8 KiB are `400`; neither leaves the gateway.
    @Test func upstreamCapsHoldForNativeCalls() async throws {
        try await LiveStack.run { stack, client in
            // `!` is sent raw and re-encoded as `%21`: 3 000 of them are 9 000 bytes upstream, 3 000 here.
            let long = try await client.native("wf", "/processapi/" + String(repeating: "!", count: 3_000))
            try Native.gatewayError(long, status: .uriTooLong, code: "URI_TOO_LONG", provider: .workingflow)
            let padded: HTTPFields = [.init("X-Padding")!: String(repeating: "p", count: 9_000)]
            let heavy = try await client.native("wf", "/processapi/list", headers: padded)
            try Native.gatewayError(heavy, status: .badRequest, code: "INVALID_REQUEST", provider: .workingflow)
            #expect(stack.emulator("workingflow").recorder.count == 0)
        }
    }

    @Test func methodsTheRouteDoesNotForwardAre405() async throws {
        try await LiveStack.run { _, client in
            let response = try await client.native("cf", Self.account, .options)
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.allow]?.contains("PATCH") == true)
        }
    }
}
