import Crypto
import FlowgateCore
import Foundation
import PostgresNIO

/// The fleet's response cache in PostgreSQL (the L2 behind each replica's memory cache), and the
/// fill leases that make one replica's upstream read serve every replica.
///
/// Rows are keyed by the SHA-256 of the cache key (keys hold whole request targets). Each row carries
/// the invalidation clock its fill began at, and a read skips any row one of whose tags was
/// invalidated after that: a fill that raced a write can never serve the old answer, whatever order
/// the two statements commit in.
struct SharedResponseCache: Sendable {
    let database: ClusterDatabase
    /// How long past its TTL an answer may still be served (the larger stale window).
    let staleWindow: TimeInterval

    func get(_ key: String) async -> CachedAnswer? {
        let rowKey = Self.rowKey(key)
        let found = await database.perform("cache_get") { client -> CachedAnswer? in
            let row = try await client.firstRow(
                """
                SELECT c.status, c.content_type, c.body, c.stored_at, c.ttl_s, c.tags FROM flowgate_cache c
                WHERE c.key = \(rowKey) AND c.expires_at > clock_timestamp()
                  AND NOT EXISTS (SELECT 1 FROM flowgate_cache_invalidations i WHERE i.tag = ANY (c.tags) AND i.generation > c.generation)
                """,
                as: (Int, String, ByteBuffer, Double, Double, [String]).self
            )
            guard let (status, contentType, body, storedAt, ttl, tags) = row else { return nil }
            return CachedAnswer(
                status: status, contentType: contentType, body: body, storedAt: Date(timeIntervalSince1970: storedAt), ttl: ttl,
                tags: Set(tags)
            )
        }
        return found ?? nil
    }

    /// The shared invalidation clock, or nil when the database cannot be read.
    func generation() async -> Int64? {
        await database.perform("cache_generation") { client in
            try await client.firstRow("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM flowgate_cache_clock", as: Int64.self) ?? 0
        }
    }

    func invalidate(tags: Set<String>) async {
        let tags = Array(tags)
        let payload = tags.joined(separator: "\n")
        _ = await database.perform("cache_invalidate") { client in
            try await client.execute(
                """
                WITH clock AS (SELECT nextval('flowgate_cache_clock') AS generation),
                recorded AS (
                    INSERT INTO flowgate_cache_invalidations (tag, generation, at)
                    SELECT tag, clock.generation, clock_timestamp() FROM clock, unnest(\(tags)::text[]) AS tag
                    ON CONFLICT (tag) DO UPDATE SET generation = EXCLUDED.generation, at = EXCLUDED.at)
                SELECT pg_notify(\(ClusterDatabase.invalidationChannel), \(payload))
                """
            )
            try await client.execute("DELETE FROM flowgate_cache WHERE tags && \(tags)::text[]")
        }
    }

    static func rowKey(_ key: String) -> String {
        HexDigits.lowercase(SHA256.hash(data: Data(key.utf8)))
    }
}

extension SharedResponseCache: FillLeases {
    func lease(for key: String) -> FleetLease {
        FleetLease(key: Self.rowKey(key), owner: "\(database.replicaID)/\(UUID().uuidString)")
    }

    /// The claim alone, for a fill whose upstream call could not carry it (its reservation made with
    /// it is the usual way: ``PostgresRateLimitStore``).
    func claim(_ claim: FleetClaim) async -> FleetClaim.Outcome {
        let (key, owner) = (claim.lease.key, claim.lease.owner)
        let (hold, acceptsStored) = (claim.holdFor, claim.acceptsStored)
        let answer = await database.perform("fill_claim") { client in
            try await client.firstRow(
                "SELECT flowgate_fill_claim(\(key), \(owner), \(hold), \(acceptsStored))", as: [Double].self
            )
        }
        guard let answer = answer ?? nil else { return .unavailable }
        return FleetClaim.outcome(answer, lease: claim.lease)
    }

    /// Stores the fill's answer and releases its lease in one statement, behind the caller's answer.
    func putBehind(_ key: String, _ answer: CachedAnswer, ifUnchangedSince generation: Int64, releasing lease: FleetLease?) {
        let rowKey = Self.rowKey(key)
        let tags = Array(answer.tags)
        let keepFor = answer.ttl + staleWindow
        let (leaseKey, owner) = (lease?.key ?? "", lease?.owner ?? "")
        database.behind("cache_put") { client in
            try await client.execute(
                """
                WITH released AS (DELETE FROM flowgate_fill_leases WHERE key = \(leaseKey) AND owner = \(owner))
                INSERT INTO flowgate_cache AS c (key, status, content_type, body, stored_at, ttl_s, tags, generation, expires_at)
                SELECT \(rowKey), \(answer.status), \(answer.contentType), \(answer.body), \(answer.storedAt.timeIntervalSince1970),
                       \(answer.ttl), \(tags), \(generation), clock_timestamp() + make_interval(secs => \(keepFor))
                WHERE NOT EXISTS (SELECT 1 FROM flowgate_cache_invalidations i WHERE i.tag = ANY (\(tags)) AND i.generation > \(generation))
                ON CONFLICT (key) DO UPDATE SET status = EXCLUDED.status, content_type = EXCLUDED.content_type, body = EXCLUDED.body,
                    stored_at = EXCLUDED.stored_at, ttl_s = EXCLUDED.ttl_s, tags = EXCLUDED.tags, generation = EXCLUDED.generation,
                    expires_at = EXCLUDED.expires_at
                """
            )
        }
    }

    func releaseBehind(_ lease: FleetLease) {
        let (key, owner) = (lease.key, lease.owner)
        database.behind("fill_release") { client in
            try await client.execute("DELETE FROM flowgate_fill_leases WHERE key = \(key) AND owner = \(owner)")
        }
    }

    func progress(_ key: String) async -> FillProgress? {
        let rowKey = Self.rowKey(key)
        return await database.perform("fill_progress") { client in
            let row = try await client.firstRow(
                """
                SELECT (SELECT stored_at FROM flowgate_cache WHERE key = \(rowKey)),
                       EXISTS (SELECT 1 FROM flowgate_fill_leases WHERE key = \(rowKey) AND expires_at > clock_timestamp())
                """,
                as: (Double?, Bool).self
            )
            guard let (storedAt, leased) = row else { return FillProgress(storedAt: nil, leased: false) }
            return FillProgress(storedAt: storedAt.map { Date(timeIntervalSince1970: $0) }, leased: leased)
        }
    }
}
