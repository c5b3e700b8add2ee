import FlowgateCore
import Foundation
import Synchronization
import Testing

@testable import FlowgateProviders

/// The login session alone, on a hand-moved clock: renewal before expiry, single flight, and how long
/// a refused login is answered locally.
@Suite struct GeotareasSessionTests {
    final class Harness: Sendable {
        let clock = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        let logins = Mutex(0)
        let outcome = Mutex<GatewayError?>(nil)

        var now: Date { clock.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { clock.withLock { $0 += seconds } }

        func session(lifetime: TimeInterval? = 3600, delay: Duration = .zero) -> GeotareasSession {
            GeotareasSession(now: { self.now }) {
                let count = self.logins.withLock {
                    $0 += 1; return $0
                }
                if delay > .zero { try await Task.sleep(for: delay) }
                if let error = self.outcome.withLock({ $0 }) { throw error }
                return ("jwt-\(count)", lifetime)
            }
        }
    }

    @Test func theTokenIsReusedUntilFiveMinutesBeforeItExpires() async throws {
        let harness = Harness()
        let session = harness.session()
        #expect(try await session.token() == "jwt-1")
        harness.advance(54 * 60)
        #expect(try await session.token() == "jwt-1")
        harness.advance(2 * 60)
        #expect(try await session.token() == "jwt-2")
        #expect(harness.logins.withLock { $0 } == 2)
    }

    @Test func concurrentCallersWaitForTheSameLogin() async throws {
        let harness = Harness()
        let session = harness.session(delay: .milliseconds(100))
        let tokens = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await session.token() } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(tokens == ["jwt-1"])
        #expect(harness.logins.withLock { $0 } == 1)
    }

    @Test func aRejectedTokenIsReplacedOnceEvenWhenManyReportIt() async throws {
        let harness = Harness()
        let session = harness.session()
        let first = try await session.token()
        #expect(try await session.token(replacing: first) == "jwt-2")
        // A second request that also saw jwt-1 refused gets jwt-2 without another login.
        #expect(try await session.token(replacing: first) == "jwt-2")
        #expect(harness.logins.withLock { $0 } == 2)
    }

    @Test func aRefusedLoginIsAnsweredLocallyForThirtySeconds() async throws {
        let harness = Harness()
        harness.outcome.withLock { $0 = GatewayError(.upstreamAuthFailed, "refused") }
        let session = harness.session()
        for _ in 0..<3 {
            await #expect(throws: GatewayError.self) { try await session.token() }
        }
        #expect(harness.logins.withLock { $0 } == 1)
        harness.outcome.withLock { $0 = nil }
        harness.advance(31)
        #expect(try await session.token() == "jwt-2")
    }

    @Test func aTransientLoginFailureIsNotHeld() async throws {
        let harness = Harness()
        harness.outcome.withLock { $0 = GatewayError(.upstreamTimeout, "slow") }
        let session = harness.session()
        await #expect(throws: GatewayError.self) { try await session.token() }
        harness.outcome.withLock { $0 = nil }
        #expect(try await session.token() == "jwt-2")
    }

    @Test func theLifetimeComesFromTheTokenClaims() {
        func token(_ payload: String) -> String {
            let encoded = Data(payload.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            return "e30.\(encoded).sig"
        }
        let now = Date(timeIntervalSince1970: 1_000)
        #expect(GeotareasSession.lifetime(of: token(#"{"iat":5000,"exp":6800}"#), now: now) == 1800)
        #expect(GeotareasSession.lifetime(of: token(#"{"exp":4600}"#), now: now) == 3600)
        #expect(GeotareasSession.lifetime(of: token(#"{"sub":"x"}"#), now: now) == nil)
        #expect(GeotareasSession.lifetime(of: "opaque-token", now: now) == nil)
    }
}
