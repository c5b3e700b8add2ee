import Foundation
import Testing

@testable import FlowgateServer

@Suite struct IdempotencyLedgerTests {
    let scope = IdempotencyScope(tenant: "acme", key: "k1")
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let answer = StoredResponse(status: 201, body: Array("{}".utf8))

    @Test func firstRequestProceedsAndItsAnswerIsReplayed() {
        var ledger = IdempotencyLedger()
        #expect(ledger.begin(scope, fingerprint: "a", now: t0) == .proceed)
        ledger.complete(scope, fingerprint: "a", response: answer, now: t0)
        #expect(ledger.begin(scope, fingerprint: "a", now: t0.addingTimeInterval(3600)) == .replay(answer))
    }

    @Test func sameKeyOtherRequestConflictsWhileRunningAndAfter() {
        var ledger = IdempotencyLedger()
        _ = ledger.begin(scope, fingerprint: "a", now: t0)
        #expect(ledger.begin(scope, fingerprint: "b", now: t0) == .conflict)
        ledger.complete(scope, fingerprint: "a", response: answer, now: t0)
        #expect(ledger.begin(scope, fingerprint: "b", now: t0) == .conflict)
    }

    @Test func aDuplicateOfARunningRequestWaits() {
        var ledger = IdempotencyLedger()
        _ = ledger.begin(scope, fingerprint: "a", now: t0)
        #expect(ledger.begin(scope, fingerprint: "a", now: t0) == .wait)
    }

    @Test func keysAreScopedToTheTenant() {
        var ledger = IdempotencyLedger()
        _ = ledger.begin(scope, fingerprint: "a", now: t0)
        ledger.complete(scope, fingerprint: "a", response: answer, now: t0)
        #expect(ledger.begin(IdempotencyScope(tenant: "globex", key: "k1"), fingerprint: "b", now: t0) == .proceed)
    }

    @Test func aReleasedKeyRunsAgain() {
        var ledger = IdempotencyLedger()
        _ = ledger.begin(scope, fingerprint: "a", now: t0)
        ledger.release(scope, fingerprint: "a")
        #expect(ledger.begin(scope, fingerprint: "b", now: t0) == .proceed, "a failed request leaves no record")
    }

    @Test func answersExpireAfterTheRetention() {
        var ledger = IdempotencyLedger(retention: 24 * 3600)
        _ = ledger.begin(scope, fingerprint: "a", now: t0)
        ledger.complete(scope, fingerprint: "a", response: answer, now: t0)
        #expect(ledger.begin(scope, fingerprint: "b", now: t0.addingTimeInterval(24 * 3600 - 1)) == .conflict)
        #expect(ledger.begin(scope, fingerprint: "b", now: t0.addingTimeInterval(24 * 3600)) == .proceed)
        #expect(ledger.count == 1)
    }

    @Test func memoryIsBoundedOldestAnswersGoFirst() {
        var ledger = IdempotencyLedger(maxEntries: 3)
        for index in 0..<10 {
            let scope = IdempotencyScope(tenant: "acme", key: "k\(index)")
            _ = ledger.begin(scope, fingerprint: "a", now: t0)
            ledger.complete(scope, fingerprint: "a", response: answer, now: t0.addingTimeInterval(Double(index)))
        }
        #expect(ledger.count == 3)
        #expect(ledger.begin(IdempotencyScope(tenant: "acme", key: "k9"), fingerprint: "a", now: t0) == .replay(answer))
        #expect(ledger.begin(IdempotencyScope(tenant: "acme", key: "k0"), fingerprint: "x", now: t0) == .proceed)
    }

    @Test func aStaleCompletionCannotOverwriteANewerRun() {
        var ledger = IdempotencyLedger()
        _ = ledger.begin(scope, fingerprint: "a", now: t0)
        ledger.release(scope, fingerprint: "a")
        _ = ledger.begin(scope, fingerprint: "b", now: t0)
        ledger.complete(scope, fingerprint: "a", response: answer, now: t0)
        #expect(ledger.begin(scope, fingerprint: "b", now: t0) == .wait, "b still owns the key")
    }
}

@Suite struct MemoryIdempotencyStoreTests {
    @Test func concurrentDuplicatesWaitForTheFirstAndReplayIt() async throws {
        let store = MemoryIdempotencyStore()
        let scope = IdempotencyScope(tenant: "acme", key: "k")
        #expect(await store.begin(scope, fingerprint: "a") == .proceed)
        let waiters = (0..<5).map { _ in Task { await store.begin(scope, fingerprint: "a") } }
        try await eventually { await store.waiting(scope) == 5 }
        let answer = StoredResponse(status: 201, body: [1, 2, 3])
        await store.complete(scope, fingerprint: "a", response: answer)
        for waiter in waiters { #expect(await waiter.value == .replay(answer)) }
    }

    @Test func aWaiterTakesOverWhenTheFirstFails() async throws {
        let store = MemoryIdempotencyStore()
        let scope = IdempotencyScope(tenant: "acme", key: "k")
        _ = await store.begin(scope, fingerprint: "a")
        let waiter = Task { await store.begin(scope, fingerprint: "a") }
        try await eventually { await store.waiting(scope) == 1 }
        await store.release(scope, fingerprint: "a")
        #expect(await waiter.value == .proceed)
    }
}
