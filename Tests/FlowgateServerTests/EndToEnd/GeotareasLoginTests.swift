import AsyncHTTPClient
import FlowgateEmulators
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// The Geotareas login session end to end: lazy, single-flight, reused, renewed once on a 401, and
/// never hammering the login after a refusal.
@Suite struct GeotareasLoginTests {
    static let login = "/apidev/v1/login"
    static let example = "/v1/instances/geo:591847302948571634"

    /// A clock the Geotareas emulator reads, moved by hand to expire its tokens without sleeping.
    final class Clock: Sendable {
        private let current = Mutex(Date())
        var now: Date { current.withLock { $0 } }
        func advance(seconds: TimeInterval) { current.withLock { $0 += seconds } }
    }

    static func emulators(geotareas: GeotareasEmulator) -> [any Emulator] {
        EmulatorSet().emulators.filter { $0.name != "geotareas" } + [geotareas]
    }

    @Test func concurrentRequestsShareOneLogin() async throws {
        try await LiveStack.run { stack, client in
            let port = try #require(client.port)
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(Self.example)")
                        request.headers.add(name: "Authorization", value: "Bearer \(TestKeys.acmeReadWrite)")
                        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
                        _ = try await response.body.collect(upTo: 1 << 20)
                        return response.status.code
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 200, count: 8))
            let emulator = stack.emulator("geotareas")
            #expect(GeoB24.received(emulator, Self.login).count == 1)
            let tokens = Set(GeoB24.received(emulator, "/apidev/v1/workflow/").compactMap { GeoB24.header($0, "Authorization") })
            #expect(tokens.count == 1)
        }
    }

    @Test func theTokenIsReusedAcrossRequestsAndOperations() async throws {
        try await LiveStack.run { stack, client in
            for uri in [Self.example, "\(Self.example)/timeline", "\(Self.example)/data", "/v1/definitions?connection=geo"] {
                let status1 = try await GeoB24.get(client, uri).status
                #expect(status1 == .ok)
            }
            #expect(GeoB24.received(stack.emulator("geotareas"), Self.login).count == 1)
        }
    }

    @Test func aRefusedTokenIsRenewedOnceAndTheCallRepeated() async throws {
        try await LiveStack.run { stack, client in
            let emulator = stack.emulator("geotareas")
            let status2 = try await GeoB24.get(client, Self.example).status
            #expect(status2 == .ok)
            emulator.faults.add(Fault(.error(status: 401, code: "UNAUTHORIZED"), pathPrefix: "/apidev/v1/workflow/", count: 1))
            let response = try await GeoB24.get(client, Self.example)
            #expect(response.status == .ok)
            OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}", method: "get")
            #expect(GeoB24.received(emulator, Self.login).count == 2)
            #expect(GeoB24.received(emulator, "/apidev/v1/workflow/instances/").count == 3)
        }
    }

    @Test func aTokenTheUpstreamLetExpireIsReplacedTransparently() async throws {
        let clock = Clock()
        let geotareas = GeotareasEmulator(now: { clock.now })
        try await LiveStack.run(emulators: Self.emulators(geotareas: geotareas)) { _, client in
            let status3 = try await GeoB24.get(client, Self.example).status
            #expect(status3 == .ok)
            clock.advance(seconds: 2 * 3600)
            let response = try await GeoB24.get(client, Self.example)
            #expect(response.status == .ok)
            #expect(GeoB24.received(geotareas, Self.login).count == 2)
            // The new token works without another login.
            let status4 = try await GeoB24.get(client, "\(Self.example)/timeline").status
            #expect(status4 == .ok)
            #expect(GeoB24.received(geotareas, Self.login).count == 2)
        }
    }

    @Test func aTokenRefusedAgainAfterTheReLoginIsAnUpstreamAuthFailure() async throws {
        try await LiveStack.run { stack, client in
            let emulator = stack.emulator("geotareas")
            emulator.faults.add(Fault(.error(status: 401, code: "UNAUTHORIZED"), pathPrefix: "/apidev/v1/workflow/"))
            let response = try await GeoB24.get(client, Self.example)
            #expect(response.status == .badGateway)
            OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}", method: "get")
            #expect(try ErrorBody(response).code == "UPSTREAM_AUTH_FAILED")
            #expect(GeoB24.received(emulator, Self.login).count == 2)
            #expect(GeoB24.received(emulator, "/apidev/v1/workflow/").count == 2)
        }
    }

    @Test func wrongCredentialsAreAnUpstreamAuthFailureAndAreNotRetriedPerRequest() async throws {
        try await LiveStack.run(config: { stack in
            stack.configYAML(
                extraConnections: """
                          - name: geobad
                            provider: geotareas
                            base_url: \(stack.baseURL("geotareas"))
                            tenant_host: \(LiveStack.Demo.geotareasTenant)
                            credentials: {api_key: \(LiveStack.Demo.geotareasKey), email: \(LiveStack.Demo.geotareasEmail), password: wrong-password}
                    """
            )
        }) { stack, client in
            for _ in 0..<3 {
                let response = try await GeoB24.get(client, "/v1/instances/geobad:591847302948571634")
                #expect(response.status == .badGateway)
                OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}", method: "get")
                let error = try ErrorBody(response)
                #expect(error.code == "UPSTREAM_AUTH_FAILED")
                #expect(error.object["connection"] as? String == "geobad")
                #expect(!String(buffer: response.body).contains("wrong-password"))
            }
            let emulator = stack.emulator("geotareas")
            #expect(GeoB24.received(emulator, Self.login).count == 1)
            #expect(GeoB24.received(emulator, "/apidev/v1/workflow/").isEmpty)
            // The good connection on the same upstream is unaffected.
            let status5 = try await GeoB24.get(client, Self.example).status
            #expect(status5 == .ok)
        }
    }

    @Test func aRateLimitedLoginIsRateLimitedWithRetryAfter() async throws {
        try await LiveStack.run { stack, client in
            let emulator = stack.emulator("geotareas")
            emulator.faults.add(Fault(.error(status: 429, code: "RATE_LIMITED"), pathPrefix: Self.login))
            for _ in 0..<2 {
                let response = try await GeoB24.get(client, Self.example)
                #expect(response.status == .tooManyRequests)
                OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}", method: "get")
                let error = try ErrorBody(response)
                #expect(error.code == "RATE_LIMITED")
                #expect((error.object["retry_after_s"] as? Int).map { $0 > 0 } == true)
                #expect(response.headers[.retryAfter] != nil)
            }
            #expect(GeoB24.received(emulator, Self.login).count == 1)
        }
    }
}
