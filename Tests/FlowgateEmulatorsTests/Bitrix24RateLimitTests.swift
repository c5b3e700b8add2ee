import FlowgateEmulators
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

struct Bitrix24RateLimitTests {
    typealias F = Bitrix24Fixtures

    @Test func platformLimitPerKeyAnswers429WithRetryAfter() async throws {
        let clock = TestClock(TestClock.march15)
        let emulator = Bitrix24Emulator(rateLimits: .init(requestsPerMinute: 3, portalRequestsPerSecond: 100), now: { clock.now })
        try await emulator.makeApplication(port: 0).test(.router) { client in
            for remaining in [2, 1, 0] {
                try await client.execute(uri: "/v1/workflows", method: .get, headers: F.personal) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.testRateLimit] == "3")
                    #expect(response.headers[.testRateRemaining] == String(remaining))
                }
                clock.advance(seconds: 10)
            }
            // Requests at t=0, 10, 20; now t=30, so the first slot frees at t=60.
            try await client.execute(uri: "/v1/workflows", method: .get, headers: F.personal) { response in
                #expect(response.status == .tooManyRequests)
                let error = try F.error(response.body)
                #expect(error.code == "RATE_LIMITED")
                #expect(error.object["retryAfter"] as? Int == 30)
                #expect(response.headers[.retryAfter] == "30")
                #expect(response.headers[.testRateRemaining] == "0")
            }
            // Another key has its own window.
            try await client.execute(uri: "/v1/workflows", method: .get, headers: F.app) { response in
                #expect(response.status == .ok)
            }
            clock.advance(seconds: 29)
            try await client.execute(uri: "/v1/workflows", method: .get, headers: F.personal) { response in
                #expect(response.status == .tooManyRequests)
                let error = try F.error(response.body)
                #expect(error.object["retryAfter"] as? Int == 1)
            }
            clock.advance(seconds: 1)
            try await client.execute(uri: "/v1/workflows", method: .get, headers: F.personal) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func documentedDefaultIs300PerMinute() async throws {
        let clock = TestClock(TestClock.march15)
        let emulator = Bitrix24Emulator(rateLimits: .init(portalRequestsPerSecond: 1000), now: { clock.now })
        try await emulator.makeApplication(port: 0).test(.router) { client in
            for _ in 0..<300 {
                _ = try await client.execute(uri: "/v1/workflows?templateId=9999", method: .get, headers: F.personal)
            }
            try await client.execute(uri: "/v1/workflows?templateId=9999", method: .get, headers: F.personal) { response in
                #expect(response.status == .tooManyRequests)
            }
            clock.advance(seconds: 60)
            try await client.execute(uri: "/v1/workflows?templateId=9999", method: .get, headers: F.personal) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func portalLimitAnswers502BitrixUnavailable() async throws {
        let clock = TestClock(TestClock.march15)
        let emulator = Bitrix24Emulator(rateLimits: .init(requestsPerMinute: 300, portalRequestsPerSecond: 2), now: { clock.now })
        try await emulator.makeApplication(port: 0).test(.router) { client in
            _ = try await client.execute(uri: "/v1/workflows", method: .get, headers: F.personal)
            _ = try await client.execute(uri: "/v1/bizproc-templates", method: .get, headers: F.app)
            // Shared by all keys of the portal: a third call in the same second fails whoever sends it.
            try await client.execute(uri: "/v1/workflows/start", method: .post, headers: F.app, body: F.startBody()) { response in
                #expect(response.status == .badGateway)
                let error = try F.error(response.body)
                #expect(error.code == "BITRIX_UNAVAILABLE")
            }
            clock.advance(seconds: 1)
            try await client.execute(uri: "/v1/workflows/start", method: .post, headers: F.app, body: F.startBody()) { response in
                #expect(response.status == .created)
            }
        }
    }
}
