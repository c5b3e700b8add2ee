import Foundation
import PostgresNIO
import Synchronization

/// Idempotency records shared by the fleet, so a retry that lands on another replica is recognised.
///
/// Claiming is one `INSERT … ON CONFLICT DO UPDATE … WHERE` that succeeds only on a free key (none,
/// expired, or a running claim whose lease ran out because its replica died). A duplicate of a request
/// running elsewhere polls until it completes or is released. While the database is unreachable, keys
/// are claimed in the replica's memory and finished where they were claimed.
final class PostgresIdempotencyStore: IdempotencyStore {
    private let database: ClusterDatabase
    private let local = MemoryIdempotencyStore()
    /// Scopes this replica claimed locally (database unreachable): they complete locally too.
    private let claimedLocally = Mutex<Set<IdempotencyScope>>([])
    private let retention: TimeInterval
    /// How long a running claim holds its key if its replica never finishes it.
    private let lease: TimeInterval
    private let pollInterval: Duration

    init(database: ClusterDatabase, retention: TimeInterval = 24 * 3600, lease: TimeInterval, pollInterval: Duration = .milliseconds(50)) {
        self.database = database
        self.retention = retention
        self.lease = lease
        self.pollInterval = pollInterval
    }

    func begin(_ scope: IdempotencyScope, fingerprint: String) async -> IdempotencyLedger.Decision {
        while !Task.isCancelled {
            guard
                let decision = await database.perform(
                    "idempotency_begin",
                    { [retention, lease] client in
                        try await Self.claim(scope, fingerprint: fingerprint, retention: retention, lease: lease, client: client)
                    })
            else {
                let decision = await local.begin(scope, fingerprint: fingerprint)
                if decision == .proceed { claimedLocally.withLock { _ = $0.insert(scope) } }
                return decision
            }
            guard decision == .wait else { return decision }
            try? await Task.sleep(for: pollInterval)
        }
        return .conflict
    }

    func complete(_ scope: IdempotencyScope, fingerprint: String, response: StoredResponse) async {
        if claimedLocally.withLock({ $0.remove(scope) }) != nil {
            await local.complete(scope, fingerprint: fingerprint, response: response)
            return
        }
        let body = ByteBuffer(bytes: response.body)
        _ = await database.perform("idempotency_complete") { [retention] client in
            try await client.execute(
                """
                UPDATE flowgate_idempotency SET status = \(response.status), body = \(body), lease_until = NULL,
                    expires_at = clock_timestamp() + make_interval(secs => \(retention))
                WHERE tenant = \(scope.tenant) AND key = \(scope.key) AND fingerprint = \(fingerprint) AND status IS NULL
                """
            )
        }
    }

    func release(_ scope: IdempotencyScope, fingerprint: String) async {
        if claimedLocally.withLock({ $0.remove(scope) }) != nil {
            await local.release(scope, fingerprint: fingerprint)
            return
        }
        _ = await database.perform("idempotency_release") { client in
            try await client.execute(
                """
                DELETE FROM flowgate_idempotency
                WHERE tenant = \(scope.tenant) AND key = \(scope.key) AND fingerprint = \(fingerprint) AND status IS NULL
                """
            )
        }
    }

    /// Claims a free key, or reads what holds it: `.proceed`, `.replay`, `.conflict`, or `.wait`.
    private static func claim(
        _ scope: IdempotencyScope, fingerprint: String, retention: TimeInterval, lease: TimeInterval, client: PostgresClient
    ) async throws -> IdempotencyLedger.Decision {
        let claimed = try await client.firstRow(
            """
            INSERT INTO flowgate_idempotency AS r (tenant, key, fingerprint, status, body, lease_until, expires_at)
            VALUES (\(scope.tenant), \(scope.key), \(fingerprint), NULL, NULL,
                    clock_timestamp() + make_interval(secs => \(lease)), clock_timestamp() + make_interval(secs => \(retention)))
            ON CONFLICT (tenant, key) DO UPDATE
                SET fingerprint = EXCLUDED.fingerprint, status = NULL, body = NULL,
                    lease_until = EXCLUDED.lease_until, expires_at = EXCLUDED.expires_at
                WHERE r.expires_at < clock_timestamp() OR (r.status IS NULL AND r.lease_until < clock_timestamp())
            RETURNING 1
            """,
            as: Int.self
        )
        if claimed != nil { return .proceed }
        let held = try await client.firstRow(
            "SELECT fingerprint, status, body FROM flowgate_idempotency WHERE tenant = \(scope.tenant) AND key = \(scope.key)",
            as: (String, Int?, ByteBuffer?).self
        )
        // None: released between the two statements, try again.
        guard let (holder, status, body) = held else { return .wait }
        guard holder == fingerprint else { return .conflict }
        guard let status else { return .wait }
        return .replay(StoredResponse(status: status, body: Array(buffer: body ?? ByteBuffer())))
    }
}
