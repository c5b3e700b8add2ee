import Foundation
import PostgresNIO

/// Token buckets shared by the fleet: each reservation is one GCRA step in PostgreSQL
/// (`flowgate_bucket_reserve`, one row lock, on the database's clock), so the admitted schedule is the
/// same whichever replica asks and no upstream window overshoots fleet-wide.
///
/// An upstream's "stop" (a 429, a zero remaining budget) is written to the shared row, so it stops
/// every replica. While the database is unreachable each replica falls back to a local bucket of
/// its share of the budget (rate and burst divided by the replicas last seen alive).
final class PostgresRateLimitStore: RateLimitStore {
    private let database: ClusterDatabase
    private let local: MemoryRateLimitStore

    init(database: ClusterDatabase, local: MemoryRateLimitStore = MemoryRateLimitStore()) {
        self.database = database
        self.local = local
    }

    func reserve(_ key: BucketKey, size: TokenBucket.Size, maxWait: TimeInterval) async -> TokenBucket.Decision {
        let rowKey = Self.rowKey(key)
        let shared = await database.perform("bucket_reserve") { client in
            try await client.firstRow(
                "SELECT flowgate_bucket_reserve(\(rowKey), \(size.interval), \(size.tolerance), \(maxWait))", as: Double.self
            ) ?? 0
        }
        guard let shared else { return local.reserve(key, size: Self.share(size, of: database.fleetSize), maxWait: maxWait) }
        return shared >= 0 ? .admit(wait: shared) : .reject(retryAfter: -shared)
    }

    func block(_ key: BucketKey, size: TokenBucket.Size, until: Date) async {
        // Kept locally too, so the block holds here even if the database is lost before it ends.
        local.block(key, size: Self.share(size, of: database.fleetSize), until: until)
        let rowKey = Self.rowKey(key)
        let seconds = max(0, until.timeIntervalSinceNow)
        _ = await database.perform("bucket_block") { client in
            try await client.execute(
                """
                INSERT INTO flowgate_buckets AS b (key, interval_s, tolerance_s, tat)
                VALUES (\(rowKey), \(size.interval), \(size.tolerance), extract(epoch FROM clock_timestamp()) + \(seconds) + \(size.tolerance))
                ON CONFLICT (key) DO UPDATE SET tat = greatest(b.tat, EXCLUDED.tat)
                """
            )
        }
    }

    static func rowKey(_ key: BucketKey) -> String { "\(key.credential)/\(key.bucket)" }

    /// One replica's part of a budget while it cannot coordinate with the others.
    static func share(_ size: TokenBucket.Size, of replicas: Int) -> TokenBucket.Size {
        guard replicas > 1 else { return size }
        return TokenBucket.Size(ratePerSecond: size.ratePerSecond / Double(replicas), burst: max(1, size.burst / replicas))
    }
}
