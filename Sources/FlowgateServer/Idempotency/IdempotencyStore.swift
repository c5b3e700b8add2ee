import Foundation

/// Where idempotency records live. In memory for one process; PostgreSQL comes with cluster mode so
/// a retry that lands on another replica is still recognised.
protocol IdempotencyStore: Sendable {
    /// Claims `scope` for a request with `fingerprint`, waiting while the same request runs.
    /// Returns `.proceed`, `.replay` or `.conflict` (never `.wait`).
    func begin(_ scope: IdempotencyScope, fingerprint: String) async -> IdempotencyLedger.Decision
    func complete(_ scope: IdempotencyScope, fingerprint: String, response: StoredResponse) async
    func release(_ scope: IdempotencyScope, fingerprint: String) async
}

/// The embedded store: the ledger behind an actor, with the waiting done by continuations.
actor MemoryIdempotencyStore: IdempotencyStore {
    private var ledger: IdempotencyLedger
    private var waiters: [IdempotencyScope: [CheckedContinuation<Void, Never>]] = [:]

    private let now: @Sendable () -> Date

    init(ledger: IdempotencyLedger = IdempotencyLedger(), now: @escaping @Sendable () -> Date = Date.init) {
        self.ledger = ledger
        self.now = now
    }

    func begin(_ scope: IdempotencyScope, fingerprint: String) async -> IdempotencyLedger.Decision {
        while true {
            let decision = ledger.begin(scope, fingerprint: fingerprint, now: now())
            guard decision == .wait else { return decision }
            // The running request always completes or releases (its handler does so on every path,
            // cancellation included), which resumes every waiter to decide again.
            await withCheckedContinuation { waiters[scope, default: []].append($0) }
        }
    }

    func complete(_ scope: IdempotencyScope, fingerprint: String, response: StoredResponse) {
        ledger.complete(scope, fingerprint: fingerprint, response: response, now: now())
        wake(scope)
    }

    func release(_ scope: IdempotencyScope, fingerprint: String) {
        ledger.release(scope, fingerprint: fingerprint)
        wake(scope)
    }

    /// Requests parked behind the one running under `scope` (what tests wait for before completing it).
    func waiting(_ scope: IdempotencyScope) -> Int {
        waiters[scope]?.count ?? 0
    }

    private func wake(_ scope: IdempotencyScope) {
        for waiter in waiters.removeValue(forKey: scope) ?? [] { waiter.resume() }
    }
}
