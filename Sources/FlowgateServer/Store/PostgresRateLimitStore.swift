import FlowgateProviders
import Foundation
import PostgresNIO

/// Upstream buckets shared by the fleet: each reservation is one call of `flowgate_limits_reserve`,
/// which locks the call's bucket rows in key order and runs the same step as ``UpstreamBucket`` on the
/// database's clock, so the admitted schedule is the same whichever replica asks and no upstream
/// window overshoots fleet-wide (``LimitsSchema``).
///
/// An upstream's word (a 429, a smaller remaining budget) is written to the shared row, so it holds
/// for every replica. While the database is unreachable each replica falls back to local buckets of
/// its share of the budget (limits divided by the replicas last seen alive).
final class PostgresRateLimitStore: RateLimitStore {
    private let database: ClusterDatabase
    private let local: MemoryRateLimitStore
    /// Told the breaker rows read with a fill's claim, so the breaker stage needs no round trip of its own.
    private let breakers: PostgresBreakerStore?

    init(database: ClusterDatabase, local: MemoryRateLimitStore = MemoryRateLimitStore(), breakers: PostgresBreakerStore? = nil) {
        self.database = database
        self.local = local
        self.breakers = breakers
    }

    func reserve(_ draws: [BucketDraw], maxWait: TimeInterval) async -> Reservation {
        let keys = draws.map { Self.rowKey($0.key) }
        let parameters = draws.map(\.shape.parameters)
        let (tags, kinds, a, b) = (parameters.map(\.tag), parameters.map(\.kind), parameters.map(\.a), parameters.map(\.b))
        let shared = await database.perform("bucket_reserve") { client in
            try await client.firstRow("SELECT flowgate_limits_reserve(\(keys), \(tags), \(kinds), \(a), \(b), \(maxWait))", as: [Double].self)
        }
        guard let answer = shared ?? nil, let reservation = Self.reservation(answer, draws: draws.count) else {
            return local.reserve(localShare(draws), maxWait: maxWait)
        }
        return reservation
    }

    /// The miss path's one round trip: the fill's claim, the connection's breaker row and, when this
    /// replica holds the claim, the reservation (`flowgate_fill_reserve`).
    func reserve(
        _ draws: [BucketDraw], maxWait: TimeInterval, claiming claim: FleetClaim, breaker: String
    ) async -> (outcome: FleetClaim.Outcome, reservation: Reservation?) {
        let keys = draws.map { Self.rowKey($0.key) }
        let parameters = draws.map(\.shape.parameters)
        let (tags, kinds, a, b) = (parameters.map(\.tag), parameters.map(\.kind), parameters.map(\.a), parameters.map(\.b))
        let (lease, owner, hold, acceptsStored) = (claim.lease.key, claim.lease.owner, claim.holdFor, claim.acceptsStored)
        let shared = await database.perform("fill_reserve") { client in
            try await client.firstRow(
                """
                SELECT flowgate_fill_reserve(\(lease), \(owner), \(hold), \(acceptsStored), \(breaker), \(keys), \(tags), \(kinds), \(a), \(b),
                    \(maxWait))
                """,
                as: [Double].self
            )
        }
        guard let answer = shared ?? nil, answer.count >= 6 else {
            return (.unavailable, local.reserve(localShare(draws), maxWait: maxWait))
        }
        breakers?.learn(breaker, row: Array(answer[2..<6]))
        let outcome = FleetClaim.outcome(answer, lease: claim.lease)
        let reserved = Array(answer.dropFirst(6))
        guard case .claimed = outcome, let reservation = Self.reservation(reserved, draws: draws.count) else { return (outcome, nil) }
        return (outcome, reservation)
    }

    func block(_ draw: BucketDraw, forSeconds seconds: TimeInterval) async {
        // Kept locally too, so the block holds here even if the database is lost before it ends.
        local.block(localShare([draw])[0], forSeconds: seconds)
        await correct(draw, sentAt: nil, remaining: 0, resetIn: seconds, operation: "bucket_block")
    }

    /// `flowgate_limits_reserve`'s answer: {wait or minus the retry-after, slot, binding, admission,
    /// used…}; nil for anything else (then the local bucket decides), never a trap on a bad number.
    private static func reservation(_ answer: [Double], draws: Int) -> Reservation? {
        guard answer.count == 4 + draws, answer.allSatisfy({ $0.isFinite && abs($0) < 1e15 }) else { return nil }
        return Reservation(
            decision: answer[0] >= 0 ? .admit(wait: answer[0]) : .reject(retryAfter: -answer[0]), slot: answer[1], binding: Int(answer[2]),
            used: answer.dropFirst(4).map { Int($0) }, admission: Int(answer[3])
        )
    }

    /// Behind the answer (every answer of Geotareas, Bitrix24 and Cloudflare carries a budget, and almost
    /// every one agrees with the window): the reset it is measured from is sent as an interval.
    func reconcile(_ draw: BucketDraw, sentAt: TimeInterval, admission: Int, budget: UpstreamBudget) async {
        // The local copy numbers its admissions apart from the shared row: 0 lets it count every one.
        local.reconcile(localShare([draw])[0], sentAt: sentAt, admission: 0, budget: budget)
        let key = Self.rowKey(draw.key)
        let shape = draw.shape.parameters
        database.behind("bucket_reconcile") { client in
            try await client.execute(
                Self.correction(key, shape, sentAt: sentAt, remaining: budget.remaining, resetIn: budget.resetIn, admission: admission)
            )
        }
    }

    func restamp(_ draws: [BucketDraw], slot: TimeInterval, lateBy: TimeInterval) async {
        local.restamp(localShare(draws), slot: slot, lateBy: lateBy)
        let windows = draws.filter { if case .window = $0.shape { true } else { false } }
        guard !windows.isEmpty else { return }
        let keys = windows.map { Self.rowKey($0.key) }
        let tags = windows.map(\.shape.parameters.tag)
        // Behind the answer: the slot matters again only a window from now, when it is the oldest.
        database.behind("bucket_restamp") { client in
            try await client.execute("SELECT flowgate_limits_restamp(\(keys), \(tags), \(slot), \(slot + lateBy))")
        }
    }

    func usage(_ draws: [BucketDraw]) async -> [BucketUsage] {
        let keys = draws.map { Self.rowKey($0.key) }
        // The extra row carries the database's clock (the empty key is no bucket's: theirs hold a '/').
        let rows = await database.perform("bucket_usage") { client in
            try await client.rows(
                """
                SELECT l.key, l.tag, l.tat, l.slots, extract(epoch FROM clock_timestamp())::double precision FROM flowgate_limits l
                WHERE l.key = ANY (\(keys))
                UNION ALL SELECT '', '', 0, '{}', extract(epoch FROM clock_timestamp())::double precision
                """,
                as: (String, String, Double, [Double], Double).self
            )
        }
        guard let rows else { return local.usage(localShare(draws)) }
        let now = Date(timeIntervalSince1970: rows.last?.4 ?? Date().timeIntervalSince1970)
        let stored = Dictionary(rows.map { ($0.0, (tag: $0.1, tat: $0.2, slots: $0.3)) }, uniquingKeysWith: { first, _ in first })
        return zip(keys, draws).map { key, draw in
            var bucket = UpstreamBucket(draw.shape, now: now)
            if let row = stored[key], row.tag == draw.shape.parameters.tag { bucket.restore(tat: row.tat, slots: row.slots) }
            return BucketUsage(used: bucket.used(now: now), nextFree: bucket.nextSlot(now: now))
        }
    }

    private func correct(_ draw: BucketDraw, sentAt: TimeInterval?, remaining: Int, resetIn: TimeInterval, operation: String) async {
        let key = Self.rowKey(draw.key)
        let shape = draw.shape.parameters
        _ = await database.perform(operation) { client in
            try await client.execute(Self.correction(key, shape, sentAt: sentAt, remaining: remaining, resetIn: resetIn, admission: nil))
        }
    }

    private static func correction(
        _ key: String, _ shape: (tag: String, kind: String, a: Double, b: Double, pace: Double), sentAt: TimeInterval?, remaining: Int,
        resetIn: TimeInterval, admission: Int?
    ) -> PostgresQuery {
        let admission = admission.map(Double.init)
        return """
            SELECT flowgate_limits_correct(\(key), \(shape.tag), \(shape.kind), \(shape.a), \(shape.b), \(shape.pace),
                \(sentAt)::double precision, \(remaining)::integer, \(resetIn), \(admission)::double precision)
            """
    }

    private func localShare(_ draws: [BucketDraw]) -> [BucketDraw] {
        let replicas = database.fleetSize
        return draws.map { BucketDraw(key: $0.key, shape: $0.shape.share(of: replicas)) }
    }

    static func rowKey(_ key: BucketKey) -> String { "\(key.credential)/\(key.bucket)" }
}

extension BucketShape {
    /// The shape as ``LimitsSchema``'s functions take it.
    var parameters: (tag: String, kind: String, a: Double, b: Double, pace: Double) {
        switch self {
        case .rate(let size):
            ("rate:\(size.ratePerSecond):\(size.burst)", "rate", size.interval, size.tolerance, size.interval)
        case .window(let size):
            ("window:\(size.limit):\(size.window):\(size.margin)", "window", Double(size.limit), size.hold, size.pace)
        }
    }
}
