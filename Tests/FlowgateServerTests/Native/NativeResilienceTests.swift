import FlowgateCore
import FlowgateEmulators
import FlowgateServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The native route on the upstream path of every canonical call — buckets and upstream 429 feedback,
/// the breaker, read retries, the deadline — with the gateway's own refusals in the provider's envelope.
@Suite struct NativeResilienceTests {
    static let account = "/accounts/\(LiveStack.Demo.cloudflareAccount)/workflows"

    /// Cloudflare's own 429 passes through as sent and blocks the token: the next native call is
    /// refused here, in Cloudflare's envelope, with the rest of the 5-minute block as `Retry-After`.
    @Test func anUpstream429BlocksTheTokenAndTheNextCallIsRefusedInCloudflaresEnvelope() async throws {
        try await LiveStack.run { stack, client in
            let cloudflare = stack.emulator("cloudflare")
            cloudflare.faults.add(Fault(.error(status: 429, code: "971"), count: 1))
            let first = try await client.native("cf", Self.account)
            #expect(first.status == .tooManyRequests && first.headers[Native.flowgateError] == nil, "Cloudflare's own answer")
            let calls = cloudflare.recorder.count
            let second = try await client.native("cf", "\(Self.account)/order-fulfillment/instances")
            let (code, _) = try Native.gatewayError(second, status: .tooManyRequests, code: "RATE_LIMITED", provider: .cloudflare)
            #expect(code == "429")
            #expect(Int(second.headers[.retryAfter] ?? "") ?? 0 > 200)
            #expect(cloudflare.recorder.count == calls, "nothing reached Cloudflare while the token is blocked")
        }
    }

    /// The read window's bucket (the route table's for that path) is spent: a local 429 in Geotareas'
    /// envelope, naming no upstream answer.
    @Test func anEmptyBucketAnswersInGeotareasEnvelope() async throws {
        let config: @Sendable (LiveStack) -> String = {
            $0.configYAML(server: "  ratelimit_max_wait_s: 0.01", geoLimits: "{reads: {rate_per_s: 0.01, burst: 1}}")
        }
        try await LiveStack.run(config: config) { stack, client in
            let first = try await client.native("geo", "/apidev/v1/workflow/instances/591847302948571634")
            #expect(first.status == .ok)
            let second = try await client.native("geo", "/apidev/v1/workflow/tasks")
            let (code, message) = try Native.gatewayError(second, status: .tooManyRequests, code: "RATE_LIMITED", provider: .geotareas)
            #expect(code == "RATE_LIMITED" && message.contains("geo/reads"))
            #expect(Int(second.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(stack.emulator("geotareas").recorder.all.filter { $0.path.hasPrefix("/apidev/v1/workflow/") }.count == 1)
        }
    }

    @Test func anOpenCircuitAnswersInWorkingflowsEnvelope() async throws {
        let clock = ManualClock()
        try await LiveStack.run(clock: clock, config: { $0.configYAML(server: "  breaker_failures: 3\n  breaker_cooldown_s: 2") }) { stack, client in
            let workingflow = stack.emulator("workingflow")
            workingflow.faults.add(Fault(.error(status: 500, code: "INTERNAL_ERROR"), pathPrefix: "/processapi/"))
            for _ in 0..<3 {
                let failed = try await client.native("wf", "/processapi/list")
                let code = try Native.json(failed)["code"] as? String
                #expect(failed.status == .internalServerError && code == "INTERNAL_ERROR")
            }
            let calls = workingflow.recorder.count
            let fast = try await client.native("wf", "/processapi/list")
            let (code, _) = try Native.gatewayError(fast, status: .serviceUnavailable, code: "UPSTREAM_UNAVAILABLE", provider: .workingflow)
            #expect(code == "UPSTREAM_UNAVAILABLE")
            #expect(fast.headers[.retryAfter] == "2")
            #expect(workingflow.recorder.count == calls, "an open circuit sends nothing upstream")
        }
    }

    @Test func readsAreRetriedWritesNever() async throws {
        try await LiveStack.run { stack, client in
            let workingflow = stack.emulator("workingflow")
            workingflow.faults.add(Fault(.error(status: 503, code: "INTERNAL_ERROR"), pathPrefix: "/processapi/50100/status", count: 1))
            let read = try await client.native("wf", "/processapi/50100/status")
            #expect(read.status == .ok)
            #expect(workingflow.recorder.all.filter { $0.path == "/processapi/50100/status" }.count == 2)

            workingflow.faults.add(
                Fault(.error(status: 503, code: "UNAVAILABLE"), pathPrefix: "/processapi/expense_reimbursement_demo/start", count: 1))
            let write = try await client.native("wf", "/processapi/expense_reimbursement_demo/start", .post, body: #"{"variables":{}}"#)
            #expect(write.status == .serviceUnavailable && write.headers[Native.flowgateError] == nil, "the upstream's answer, once")
            #expect(workingflow.recorder.all.filter { $0.path.hasSuffix("/start") }.count == 1)
        }
    }

    @Test func theDeadlineAnswersInBitrix24sEnvelope() async throws {
        try await LiveStack.run(config: { $0.configYAML(upstreamTimeout: 0.3) }) { stack, client in
            stack.emulator("bitrix24").faults.add(Fault(.latency(.seconds(2)), pathPrefix: "/v1/workflows", count: 1))
            let slow = try await client.native("b24", "/v1/workflows")
            let (code, message) = try Native.gatewayError(slow, status: .gatewayTimeout, code: "UPSTREAM_TIMEOUT", provider: .bitrix24)
            #expect(code == "UPSTREAM_TIMEOUT" && message.contains("bitrix24"))
        }
    }
}
