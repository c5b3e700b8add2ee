import FlowgateEmulators
import FlowgateServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Geotareas documents `X-RateLimit-Reset` as a Unix time; an upstream that sends the seconds left
/// instead must stop the gateway just the same.
@Suite struct GeotareasVariantTests {
    @Test(arguments: RateLimitResetStyle.allCases)
    func aSpentReadWindowWaitsForTheResetEitherWay(style: RateLimitResetStyle) async throws {
        // The gateway's own reads bucket is widened so the upstream's window (30 reads a minute) is what runs out.
        try await LiveStack.run(
            emulators: variantEmulators(geotareas: [style]), config: { $0.configYAML(geoLimits: "{reads: {rate_per_s: 50, burst: 100}}") }
        ) { stack, client in
            for offset in 0..<30 {
                let response = try await GeoB24.get(client, "/v1/instances?connection=geo&limit=1")
                #expect(response.status == .ok, "read \(offset + 1)")
            }
            let refused = try await GeoB24.get(client, "/v1/instances?connection=geo&limit=1")
            #expect(refused.status == .tooManyRequests)
            OpenAPIValidator.shared.check(refused, path: "/v1/instances", method: "get")
            let retryAfter = try #require(refused.headers[.retryAfter].flatMap(Int.init))
            #expect((1...61).contains(retryAfter), "until the window frees: \(retryAfter)")
            let reads = stack.emulator("geotareas").recorder.all.filter { $0.path.hasPrefix("/apidev/v1/workflow/") }
            #expect(reads.count == 30, "the 31st read never left the gateway")
        }
    }
}
