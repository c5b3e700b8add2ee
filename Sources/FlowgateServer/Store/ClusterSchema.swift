import Logging
import PostgresNIO

/// The shared store's tables, created or migrated at start by whichever replica comes first (an
/// advisory lock serialises replicas starting together), plus the upkeep every replica runs.
///
/// Buckets, breakers, cache answers and fill leases are UNLOGGED: they are worth nothing after a
/// database crash (buckets refill, caches refill) and skipping the WAL keeps each acquire cheap.
/// Idempotency records are logged: a retry must be recognised across a database restart.
enum ClusterSchema {
    /// A constant key for `pg_advisory_xact_lock` ("flowgate" in ASCII).
    static let lockID: Int64 = 0x666C_6F77_6761_7465

    struct Migration {
        var version: Int
        var statements: [String]
    }

    static var version: Int { migrations.last?.version ?? 0 }

    static let migrations: [Migration] = [
        Migration(
            version: 1,
            statements: [
                """
                CREATE UNLOGGED TABLE flowgate_buckets (
                    key text PRIMARY KEY,
                    interval_s double precision NOT NULL,
                    tolerance_s double precision NOT NULL,
                    tat double precision NOT NULL)
                """,
                // One GCRA step (see TokenBucket) on the database's clock, so every replica shares one
                // schedule. Answers the wait (>= 0) when admitted, or minus the retry-after when refused.
                """
                CREATE OR REPLACE FUNCTION flowgate_bucket_reserve(
                    p_key text, p_interval double precision, p_tolerance double precision, p_max_wait double precision)
                RETURNS double precision LANGUAGE plpgsql AS $$
                DECLARE
                    v_now double precision := extract(epoch FROM clock_timestamp());
                    v_row flowgate_buckets%ROWTYPE;
                    v_due double precision;
                    v_wait double precision;
                BEGIN
                    INSERT INTO flowgate_buckets VALUES (p_key, p_interval, p_tolerance, v_now) ON CONFLICT (key) DO NOTHING;
                    SELECT * INTO v_row FROM flowgate_buckets WHERE key = p_key FOR UPDATE;
                    IF v_row.interval_s <> p_interval OR v_row.tolerance_s <> p_tolerance THEN
                        v_row.tat := v_now;
                    END IF;
                    v_due := greatest(v_row.tat, v_now);
                    v_wait := greatest(0, v_due - v_now - p_tolerance);
                    IF v_wait > p_max_wait THEN
                        RETURN -v_wait;
                    END IF;
                    UPDATE flowgate_buckets SET tat = v_due + p_interval, interval_s = p_interval, tolerance_s = p_tolerance
                        WHERE key = p_key;
                    RETURN v_wait;
                END $$
                """,
                """
                CREATE UNLOGGED TABLE flowgate_breakers (
                    connection text PRIMARY KEY,
                    state text NOT NULL,
                    failures integer NOT NULL,
                    at_s double precision NOT NULL,
                    version bigint NOT NULL)
                """,
                """
                CREATE TABLE flowgate_idempotency (
                    tenant text NOT NULL,
                    key text NOT NULL,
                    fingerprint text NOT NULL,
                    status integer,
                    body bytea,
                    lease_until timestamptz,
                    expires_at timestamptz NOT NULL,
                    PRIMARY KEY (tenant, key))
                """,
                "CREATE INDEX flowgate_idempotency_expiry ON flowgate_idempotency (expires_at)",
                """
                CREATE UNLOGGED TABLE flowgate_cache (
                    key text PRIMARY KEY,
                    status integer NOT NULL,
                    content_type text NOT NULL,
                    body bytea NOT NULL,
                    stored_at double precision NOT NULL,
                    ttl_s double precision NOT NULL,
                    tags text[] NOT NULL,
                    generation bigint NOT NULL,
                    expires_at timestamptz NOT NULL)
                """,
                "CREATE INDEX flowgate_cache_by_tag ON flowgate_cache USING gin (tags)",
                "CREATE INDEX flowgate_cache_expiry ON flowgate_cache (expires_at)",
                "CREATE SEQUENCE flowgate_cache_clock",
                """
                CREATE UNLOGGED TABLE flowgate_cache_invalidations (
                    tag text PRIMARY KEY,
                    generation bigint NOT NULL,
                    at timestamptz NOT NULL)
                """,
                """
                CREATE UNLOGGED TABLE flowgate_fill_leases (
                    key text PRIMARY KEY,
                    owner text NOT NULL,
                    expires_at timestamptz NOT NULL)
                """,
                "CREATE UNLOGGED TABLE flowgate_replicas (id text PRIMARY KEY, seen_at timestamptz NOT NULL)",
            ]),
        // Window buckets beside token buckets, and a miss's claim made with its reservation (issue 15).
        // `flowgate_buckets` stays for replicas of the previous version during a rolling upgrade; a
        // later migration drops it.
        Migration(version: 2, statements: LimitsSchema.statements + FillSchema.statements),
    ]

    /// Brings the schema to ``version`` inside the caller's transaction.
    static func migrate(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.execute("SELECT pg_advisory_xact_lock(\(lockID))", logger: logger)
        try await connection.execute("CREATE TABLE IF NOT EXISTS flowgate_schema (version integer NOT NULL)", logger: logger)
        var current = 0
        for try await version in try await connection.query("SELECT coalesce(max(version), 0) FROM flowgate_schema", logger: logger).decode(Int.self)
        {
            current = version
        }  // read to the end: a single row
        for migration in migrations where migration.version > current {
            for statement in migration.statements {
                try await connection.execute(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            try await connection.execute("INSERT INTO flowgate_schema (version) VALUES (\(migration.version))", logger: logger)
        }
    }

    /// Marks this replica alive and answers how many are (seen within 20 s).
    static func heartbeat(_ client: PostgresClient, replica: String) async throws -> Int {
        try await client.execute(
            """
            INSERT INTO flowgate_replicas (id, seen_at) VALUES (\(replica), clock_timestamp())
            ON CONFLICT (id) DO UPDATE SET seen_at = EXCLUDED.seen_at
            """
        )
        let alive = try await client.firstRow(
            "SELECT count(*)::int FROM flowgate_replicas WHERE seen_at > clock_timestamp() - interval '20 seconds'", as: Int.self
        )
        return alive ?? 1
    }

    /// Drops what nobody can use any more: expired answers, idempotency records and leases, buckets
    /// long full again, invalidation records older than any fill can be, replicas gone quiet.
    static func sweep(_ client: PostgresClient) async throws {
        try await client.execute("DELETE FROM flowgate_cache WHERE expires_at < clock_timestamp()")
        try await client.execute("DELETE FROM flowgate_idempotency WHERE expires_at < clock_timestamp()")
        try await client.execute("DELETE FROM flowgate_fill_leases WHERE expires_at < clock_timestamp()")
        try await client.execute("DELETE FROM flowgate_buckets WHERE tat < extract(epoch FROM clock_timestamp()) - 600")
        try await client.execute(LimitsSchema.sweep)
        try await client.execute("DELETE FROM flowgate_cache_invalidations WHERE at < clock_timestamp() - interval '1 hour'")
        try await client.execute("DELETE FROM flowgate_replicas WHERE seen_at < clock_timestamp() - interval '1 hour'")
    }
}
