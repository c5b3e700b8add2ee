import Foundation

/// Who an idempotency key belongs to: keys are scoped to the tenant (docs/canonical-api.md#idempotency).
struct IdempotencyScope: Hashable, Sendable {
    var tenant: String
    var key: String
}

/// A response kept for replay.
struct StoredResponse: Sendable, Hashable {
    var status: Int
    var body: [UInt8]
}

/// The idempotency rules as a pure state machine, so they can be tested without time or tasks:
/// same key + same request within the retention window replays the first answer, same key + other
/// request is a conflict, and a duplicate of a request still running waits for it.
struct IdempotencyLedger: Sendable {
    enum Decision: Sendable, Hashable {
        /// The caller owns the key now: run the request, then `complete` or `release`.
        case proceed
        case replay(StoredResponse)
        /// The key was used for a different request.
        case conflict
        /// The same request is running; ask again when it finishes.
        case wait
    }

    private enum Entry: Sendable {
        case running(fingerprint: String)
        case done(fingerprint: String, response: StoredResponse, expires: Date)
    }

    let retention: TimeInterval
    let maxEntries: Int
    private var entries: [IdempotencyScope: Entry] = [:]
    /// Completed keys in completion order, which is expiry order since retention is fixed.
    private var expiryOrder: [(scope: IdempotencyScope, expires: Date)] = []
    private var expiryStart = 0

    init(retention: TimeInterval = 24 * 3600, maxEntries: Int = 100_000) {
        self.retention = retention
        self.maxEntries = maxEntries
    }

    var count: Int { entries.count }

    mutating func begin(_ scope: IdempotencyScope, fingerprint: String, now: Date) -> Decision {
        sweep(now: now)
        switch entries[scope] {
        case nil:
            entries[scope] = .running(fingerprint: fingerprint)
            return .proceed
        case .running(let running)?:
            return running == fingerprint ? .wait : .conflict
        case .done(let done, let response, _)?:
            return done == fingerprint ? .replay(response) : .conflict
        }
    }

    /// Keeps the answer of the request that owned the key.
    mutating func complete(_ scope: IdempotencyScope, fingerprint: String, response: StoredResponse, now: Date) {
        guard case .running(let running)? = entries[scope], running == fingerprint else { return }
        let expires = now.addingTimeInterval(retention)
        entries[scope] = .done(fingerprint: fingerprint, response: response, expires: expires)
        expiryOrder.append((scope, expires))
        // Bounded memory: past the cap, the oldest answers go first (their keys can then run again).
        while entries.count > maxEntries, expiryStart < expiryOrder.count {
            removeOldest()
        }
    }

    /// Frees the key without keeping an answer (the request failed in a way a retry may fix).
    mutating func release(_ scope: IdempotencyScope, fingerprint: String) {
        guard case .running(let running)? = entries[scope], running == fingerprint else { return }
        entries[scope] = nil
    }

    mutating func sweep(now: Date) {
        while expiryStart < expiryOrder.count, expiryOrder[expiryStart].expires <= now {
            removeOldest()
        }
        if expiryStart > 1024, expiryStart * 2 > expiryOrder.count {
            expiryOrder.removeFirst(expiryStart)
            expiryStart = 0
        }
    }

    private mutating func removeOldest() {
        let (scope, expires) = expiryOrder[expiryStart]
        expiryStart += 1
        // Only if this is still the record that expiry was for (not a newer run of the same key).
        if case .done(_, _, let current)? = entries[scope], current == expires { entries[scope] = nil }
    }
}
