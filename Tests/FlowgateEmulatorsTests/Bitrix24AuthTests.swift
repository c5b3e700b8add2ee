import FlowgateEmulators
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

struct Bitrix24AuthTests {
    typealias F = Bitrix24Fixtures

    @Test func missingKeyIsMissingAPIKey() async throws {
        try await Bitrix24Emulator().makeApplication(port: 0).test(.router) { client in
            try await client.execute(uri: "/v1/workflows", method: .get) { response in
                #expect(response.status == .unauthorized)
                let error = try F.error(response.body)
                #expect(error.code == "MISSING_API_KEY")
                #expect(error.message == "The X-Api-Key header was not provided")
            }
        }
    }

    @Test func unknownKeyIsInvalidAPIKey() async throws {
        try await Bitrix24Emulator().makeApplication(port: 0).test(.router) { client in
            try await client.execute(uri: "/v1/workflows", method: .get, headers: [F.apiKeyName: "vibe_api_wrong_0000000000000000"]) { response in
                #expect(response.status == .unauthorized)
                let error = try F.error(response.body)
                #expect(error.code == "INVALID_API_KEY")
            }
            // A personal key sent only as a Bearer token is not an X-Api-Key.
            try await client.execute(
                uri: "/v1/workflows", method: .get, headers: [.authorization: "Bearer vibe_api_demo_0000000000000000"]
            ) { response in
                #expect(response.status == .unauthorized)
                let error = try F.error(response.body)
                #expect(error.code == "MISSING_API_KEY")
            }
        }
    }

    @Test func appKeyNeedsAUserSession() async throws {
        try await Bitrix24Emulator().makeApplication(port: 0).test(.router) { client in
            try await client.execute(uri: "/v1/workflows", method: .get, headers: [F.apiKeyName: "vibe_app_demo_0000000000000000"]) { response in
                #expect(response.status == .unauthorized)
                let error = try F.error(response.body)
                #expect(error.code == "INVALID_APP_KEY")
            }
            try await client.execute(uri: "/v1/workflows", method: .get, headers: F.app) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func sessionExpiresAfter24Hours() async throws {
        let clock = TestClock(TestClock.march15)
        let emulator = Bitrix24Emulator(now: { clock.now })
        try await emulator.makeApplication(port: 0).test(.router) { client in
            clock.advance(seconds: 24 * 3600 - 1)
            try await client.execute(uri: "/v1/workflows", method: .get, headers: F.app) { response in
                #expect(response.status == .ok)
            }
            clock.advance(seconds: 1)
            try await client.execute(uri: "/v1/workflows", method: .get, headers: F.app) { response in
                #expect(response.status == .unauthorized)
                let error = try F.error(response.body)
                #expect(error.code == "TOKEN_EXPIRED")
            }
            // The personal key has no session, so it keeps working.
            try await client.execute(uri: "/v1/workflows", method: .get, headers: F.personal) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func unknownSessionIsExpired() async throws {
        try await Bitrix24Emulator().makeApplication(port: 0).test(.router) { client in
            let headers: HTTPFields = [F.apiKeyName: "vibe_app_demo_0000000000000000", .authorization: "Bearer vibe_session_other"]
            try await client.execute(uri: "/v1/workflows", method: .get, headers: headers) { response in
                #expect(response.status == .unauthorized)
                let error = try F.error(response.body)
                #expect(error.code == "TOKEN_EXPIRED")
            }
        }
    }

    @Test func keyWithoutBizprocScopeIsDeniedEverywhere() async throws {
        try await Bitrix24Emulator().makeApplication(port: 0).test(.router) { client in
            try await client.execute(uri: "/v1/workflows", method: .get, headers: F.noScope) { response in
                #expect(response.status == .forbidden)
                let error = try F.error(response.body)
                #expect(error.code == "SCOPE_DENIED")
                #expect(error.message == "This endpoint requires 'bizproc' scope")
            }
            try await client.execute(uri: "/v1/workflows/start", method: .post, headers: F.noScope, body: F.startBody()) { response in
                #expect(response.status == .forbidden)
                let error = try F.error(response.body)
                #expect(error.code == "SCOPE_DENIED")
            }
            try await client.execute(uri: "/v1/workflows/x.1", method: .delete, headers: F.noScope) { response in
                #expect(response.status == .forbidden)
            }
        }
    }

    @Test func templatesNeedAnAppKeyWithSession() async throws {
        try await Bitrix24Emulator().makeApplication(port: 0).test(.router) { client in
            try await client.execute(uri: "/v1/bizproc-templates", method: .get, headers: F.personal) { response in
                #expect(response.status == .forbidden)
                let error = try F.error(response.body)
                #expect(error.code == "OAUTH_REQUIRED")
            }
            for path in ["/v1/bizproc-templates", "/v1/entities/bizproc-templates"] {
                try await client.execute(uri: path, method: .get, headers: F.app) { response in
                    #expect(response.status == .ok)
                    let page = try F.page(response.body)
                    #expect(page.total == 7)
                    #expect(page.rows.compactMap { $0["id"] as? Int } == Array(713...719))
                    let first = try #require(page.rows.first)
                    #expect(first["name"] as? String == "Deal approval")
                    #expect(first["documentType"] as? String == "DEAL")
                    #expect(first["moduleId"] as? String == "crm")
                    #expect(first["autoExecute"] as? Int == 0)
                    #expect((first["modified"] as? String)?.hasSuffix("+03:00") == true)
                }
            }
            try await client.execute(uri: "/v1/bizproc-templates?limit=2&offset=5", method: .get, headers: F.app) { response in
                let object = try jsonObject(response.body)
                let rows = object["data"] as? [[String: Any]]
                #expect(rows?.compactMap { $0["id"] as? Int } == [718, 719])
                let meta = object["meta"] as? [String: Any]
                #expect(meta?["total"] as? Int == 7)
                #expect(meta?["hasMore"] as? Bool == false)
            }
            try await client.execute(uri: "/v1/bizproc-templates?limit=5001", method: .get, headers: F.app) { response in
                #expect(response.status == .badRequest)
                let error = try F.error(response.body)
                #expect(error.code == "VALIDATION_ERROR")
            }
        }
    }

    @Test func forcedFaultUsesTheVibecodeEnvelope() async throws {
        let emulator = Bitrix24Emulator()
        emulator.faults.add(Fault(.error(status: 503, code: "X"), count: 1))
        emulator.faults.add(Fault(.error(status: 429, code: "RATE_LIMITED"), pathPrefix: "/v1/bizproc", count: 1))
        try await emulator.makeApplication(port: 0).test(.router) { client in
            try await client.execute(uri: "/v1/workflows", method: .get, headers: F.personal) { response in
                #expect(response.status == .serviceUnavailable)
                let error = try F.error(response.body)
                #expect(error.code == "X")
                #expect(error.message == "X")
            }
            try await client.execute(uri: "/v1/bizproc-templates", method: .get, headers: F.app) { response in
                #expect(response.status == .tooManyRequests)
                let error = try F.error(response.body)
                #expect(error.code == "RATE_LIMITED")
                #expect(error.object["retryAfter"] as? Int == 2)
                #expect(response.headers[.retryAfter] == "2")
            }
            try await client.execute(uri: "/v1/workflows", method: .get, headers: F.personal) { response in
                #expect(response.status == .ok, "the fault was used up")
            }
        }
    }
}
