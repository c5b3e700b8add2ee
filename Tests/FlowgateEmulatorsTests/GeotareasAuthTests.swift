import FlowgateEmulators
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

struct GeotareasAuthTests {
    @Test func loginAnswersAThreePartJWTValidForOneHour() async throws {
        let clock = TestClock()
        try await GeotareasEmulator(now: clock.reader).makeApplication(port: 0).test(.router) { client in
            let response = try await GeotareasSession.loginRequest(client)
            #expect(response.status == .ok)
            let body = try JSONBody(response)
            #expect(try body.bool("success"))
            #expect(try body.object("meta").keys.isEmpty)
            let token = try body.object("data").string("authorization")
            let parts = token.split(separator: ".")
            #expect(parts.count == 3)
            #expect(!token.contains("=") && !token.contains("+") && !token.contains("/"), "base64url without padding")
            var payload = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            payload += String(repeating: "=", count: (4 - payload.count % 4) % 4)
            let claims = try JSONSerialization.jsonObject(with: try Data(base64Encoded: payload).unwrap("payload")) as? [String: Any]
            let exp = try (claims?["exp"] as? Int).unwrap("exp")
            #expect(exp == Int(clock.now.timeIntervalSince1970) + 3600)
            #expect(response.headers[.testRateLimit] == "5")
            #expect(response.headers[.testRateRemaining] == "4")
        }
    }

    @Test func loginErrorsAnswerTheDocumentedCodes() async throws {
        try await GeotareasEmulator(now: TestClock().reader).makeApplication(port: 0).test(.router) { client in
            let noTenant = try GeotareasFailure(try await GeotareasSession.loginRequest(client, tenant: nil))
            #expect(noTenant == GeotareasFailure.expected(400, "BAD_REQUEST", "The tenant header is required."))
            let badEmail = try GeotareasFailure(try await GeotareasSession.loginRequest(client, email: "not-an-email"))
            #expect(badEmail.status == 400 && badEmail.code == "VALIDATION_ERROR")
            let wrong = try await GeotareasSession.loginRequest(client, password: "nope")
            #expect(try GeotareasFailure(wrong) == GeotareasFailure.expected(401, "UNAUTHORIZED", "Invalid email or password."))
            #expect(wrong.headers[.testRateLimit] == "5", "limit headers on every answer")
            let noBody = try await client.execute(
                uri: "/apidev/v1/login", method: .post, headers: [.testTenant: GeotareasSession.tenant, .contentType: "application/json"],
                body: ByteBuffer(string: "[]")
            )
            #expect(try GeotareasFailure(noBody).code == "VALIDATION_ERROR")
        }
    }

    @Test func loginIsLimitedToFivePerThirtySecondsPerAccount() async throws {
        let clock = TestClock()
        try await GeotareasEmulator(now: clock.reader).makeApplication(port: 0).test(.router) { client in
            for _ in 0..<5 {
                let response = try await GeotareasSession.loginRequest(client)
                #expect(response.status == .ok)
                clock.advance(seconds: 1)
            }
            let sixth = try await GeotareasSession.loginRequest(client)
            #expect(try GeotareasFailure(sixth).code == "RATE_LIMITED")
            #expect(sixth.status == .tooManyRequests)
            #expect(sixth.headers[.retryAfter] == "25", "the first login leaves the window 30 s after it was made")
            clock.advance(seconds: 26)
            #expect(try await GeotareasSession.loginRequest(client).status == .ok, "the window slid past the first login")
        }
    }

    @Test func fiveWrongPasswordsLockTheAccountForSixtySeconds() async throws {
        let clock = TestClock()
        try await GeotareasEmulator(now: clock.reader).makeApplication(port: 0).test(.router) { client in
            for _ in 0..<5 {
                #expect(try await GeotareasSession.loginRequest(client, password: "guess").status == .unauthorized)
            }
            clock.advance(seconds: 1)
            let locked = try await GeotareasSession.loginRequest(client)
            #expect(try GeotareasFailure(locked).code == "RATE_LIMITED", "even the right password is refused")
            #expect(locked.headers[.retryAfter] == "59")
            clock.advance(seconds: 35)
            #expect(try await GeotareasSession.loginRequest(client).status == .tooManyRequests, "past the 30 s window but still locked")
            clock.advance(seconds: 25)
            #expect(try await GeotareasSession.loginRequest(client).status == .ok, "the lock lasts 60 s")
        }
    }

    @Test func everyProtectedCallNeedsTenantKeyAndToken() async throws {
        try await GeotareasEmulator(now: TestClock().reader).makeApplication(port: 0).test(.router) { client in
            let session = try await GeotareasSession.login(client)
            let uri = GeotareasSession.instances
            #expect(try await session.get(uri).status == .ok)
            var headers = session.headers
            headers[.testTenant] = nil
            #expect(
                try GeotareasFailure(try await session.get(uri, headers: headers)) == .expected(400, "BAD_REQUEST", "The tenant header is required."))
            headers = session.headers
            headers[.authorization] = nil
            #expect(try GeotareasFailure(try await session.get(uri, headers: headers)).code == "BAD_REQUEST")
            headers = session.headers
            headers[.testAPIKey] = nil
            #expect(try GeotareasFailure(try await session.get(uri, headers: headers)).code == "BAD_REQUEST")
            headers = session.headers
            headers[.testAPIKey] = "gtk_wrong"
            #expect(try GeotareasFailure(try await session.get(uri, headers: headers)).status == 401)
            headers = session.headers
            headers[.testTenant] = "other.geotareas.com"
            #expect(try GeotareasFailure(try await session.get(uri, headers: headers)).code == "UNAUTHORIZED")
            headers = session.headers
            headers[.authorization] = "Bearer not.a.jwt"
            #expect(try GeotareasFailure(try await session.get(uri, headers: headers)).code == "UNAUTHORIZED")
            headers = session.headers
            let tampered = session.token.dropLast() + (session.token.hasSuffix("A") ? "B" : "A")
            headers[.authorization] = "Bearer \(tampered)"
            #expect(try GeotareasFailure(try await session.get(uri, headers: headers)).code == "UNAUTHORIZED", "tampered signature")
            headers = session.headers
            headers[.authorization] = "Basic \(session.token)"
            #expect(try GeotareasFailure(try await session.get(uri, headers: headers)).code == "UNAUTHORIZED")
        }
    }

    @Test func tokenExpiresAfterOneHourOnTheInjectedClock() async throws {
        let clock = TestClock()
        try await GeotareasEmulator(now: clock.reader).makeApplication(port: 0).test(.router) { client in
            let session = try await GeotareasSession.login(client)
            clock.advance(seconds: 3599)
            #expect(try await session.get(GeotareasSession.instances).status == .ok)
            clock.advance(seconds: 1)
            let expired = try GeotareasFailure(try await session.get(GeotareasSession.instances))
            #expect(expired == .expected(401, "UNAUTHORIZED", "Invalid or expired token."))
        }
    }

    @Test func aTokenFromAnotherEmulatorIsRejected() async throws {
        let other = try await GeotareasEmulator(now: TestClock().reader).makeApplication(port: 0).test(.router) { client in
            try await GeotareasSession.login(client).token
        }
        try await GeotareasEmulator(now: TestClock().reader).makeApplication(port: 0).test(.router) { client in
            let response = try await GeotareasSession(client: client, token: other).get(GeotareasSession.instances)
            #expect(response.status == .unauthorized)
        }
    }

    @Test func aUserWithoutExecutePermissionIsForbiddenToStartOrCancel() async throws {
        var credentials = GeotareasEmulator.Credentials.demo
        credentials.permissions = [.read]
        try await GeotareasEmulator(credentials: credentials, now: TestClock().reader).makeApplication(port: 0).test(.router) { client in
            let session = try await GeotareasSession.login(client)
            #expect(try await session.get(GeotareasSession.instances).status == .ok)
            let start = try await session.post(GeotareasSession.instances, #"{"definition_id":"482938470192837465","entity_type":"CUENTA"}"#)
            #expect(try GeotareasFailure(start) == .expected(403, "FORBIDDEN", "User lacks required permission APICLI_WORKFLOW_EXECUTE."))
            let cancel = try await session.post("\(GeotareasSession.instances)/\(GeotareasSession.example)/cancel", #"{"reason":"x"}"#)
            #expect(try GeotareasFailure(cancel).code == "FORBIDDEN")
        }
    }

    @Test func demoCredentialsMatchTheDemoConfig() {
        let demo = GeotareasEmulator.Credentials.demo
        #expect(demo.apiKey == "geo_demo_key")
        #expect(demo.email == "demo@flowgate.local")
        #expect(demo.password == "demo-password")
        #expect(demo.tenant == "demo.geotareas.com")
        #expect(demo.permissions == [.read, .execute])
        #expect(GeotareasEmulator().name == "geotareas")
    }
}
