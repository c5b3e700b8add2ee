import FlowgateCore
import Foundation

/// Who fills a key for the whole fleet: a lease on the key in the shared store.
protocol FillLeases: Sendable {
    /// The lease of one fill of `key`: the key's row in the shared store and a fresh owner token.
    func lease(for key: String) -> FleetLease
    /// Makes `claim` on its own, without a bucket reservation beside it.
    func claim(_ claim: FleetClaim) async -> FleetClaim.Outcome
    /// Where another replica's fill stands; nil when the store cannot be read.
    func progress(_ key: String) async -> FillProgress?
}

struct FillProgress: Sendable, Hashable {
    /// When the key's current shared answer was stored, if there is one.
    var storedAt: Date?
    /// Whether a replica still holds the key's lease.
    var leased: Bool
}

/// Fleet-wide single-flight (cluster mode): each replica's ``SingleFlight`` already makes one fill
/// per key per process; this makes one per key for the fleet. The fill runs with a ``FleetClaim``
/// that its first upstream read makes together with its bucket reservation (one round trip): the
/// replica that gets the key's lease calls upstream and stores the answer in the shared cache, which
/// releases the lease; a replica that finds the lease held stops before calling and polls until that
/// answer is there, then serves it. A lease that ends without an answer (the fill failed, or its
/// answer is not storable) lets the next replica claim it; a store that cannot be reached, or a fleet
/// that has not answered within `budget`, means filling here.
struct FleetFill: Sendable {
    let leases: any FillLeases
    let store: any ResponseCacheStore
    /// The longest a fill may take: the lease's length, and how long others wait for it.
    let budget: TimeInterval
    var pollInterval: Duration = .milliseconds(20)
    /// The clock `started` is read on (the cache's); polls sleep on it too.
    var clock: any GatewayClock = SystemClock()

    /// `bypass`: only an answer stored after `started` will do (`Cache-Control: no-cache`). `here` fills
    /// in this replica with the claim bound, and stores what it got (releasing the lease if it holds it).
    func fill(
        _ key: String, started: Date, bypass: Bool,
        here: (_ claim: FleetClaim?) async -> Result<CanonicalAnswer, any Error>
    ) async -> Result<CanonicalAnswer, any Error> {
        let deadline = started.addingTimeInterval(budget)
        while clock.date < deadline {
            let claim = FleetClaim(lease: leases.lease(for: key), holdFor: budget, acceptsStored: !bypass)
            let result = await FleetClaim.$current.withValue(claim) { await here(claim) }
            switch claim.outcome {
            case nil, .claimed?, .unavailable?:
                // Filled here: under the lease, alone because the store is out of reach, or without an
                // upstream call to coalesce.
                return result
            case .stored?:
                if let answer = await usable(key, started: started, bypass: bypass) { return .success(answer) }
            case .heldElsewhere?:
                if let answer = await awaitOther(key, started: started, bypass: bypass, deadline: deadline) { return .success(answer) }
            }
        }
        return await FleetClaim.$current.withValue(nil) { await here(nil) }
    }

    /// Polls until the lease holder's answer is stored (it is returned) or the lease ends without one (nil).
    private func awaitOther(_ key: String, started: Date, bypass: Bool, deadline: Date) async -> CanonicalAnswer? {
        while clock.date < deadline, !Task.isCancelled {
            try? await clock.sleep(for: pollInterval)
            guard let progress = await leases.progress(key) else { return nil }
            if let storedAt = progress.storedAt, storedAt >= started || !bypass, let answer = await usable(key, started: started, bypass: bypass) {
                return answer
            }
            if !progress.leased { return nil }
        }
        return nil
    }

    /// The stored answer if it can stand for this fill: fresh, and for a bypass stored since it began.
    private func usable(_ key: String, started: Date, bypass: Bool) async -> CanonicalAnswer? {
        guard let answer = await store.get(key) else { return nil }
        let now = clock.date
        guard answer.freshness(now: now, staleWhileRevalidate: 0, staleIfError: 0) == .fresh else { return nil }
        if bypass, answer.storedAt < started { return nil }
        return answer.answer
    }
}
