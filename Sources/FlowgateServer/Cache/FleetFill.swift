import Foundation

/// Who fills a key for the whole fleet: a lease on the key in the shared store.
protocol FillLeases: Sendable {
    func claim(_ key: String, holdFor: TimeInterval) async -> FillClaim
    func release(_ key: String, owner: String) async
    /// Where another replica's fill stands; nil when the store cannot be read.
    func progress(_ key: String) async -> FillProgress?
}

enum FillClaim: Sendable, Hashable {
    /// This replica fills; release with this owner token afterwards. `clock`: the shared invalidation
    /// clock as the lease was taken, the generation the fill's answer is stored under.
    case claimed(owner: String, clock: Int64)
    /// Another replica is filling.
    case heldElsewhere
    /// The shared store cannot be reached: fill here.
    case unavailable
}

struct FillProgress: Sendable, Hashable {
    /// When the key's current shared answer was stored, if there is one.
    var storedAt: Date?
    /// Whether a replica still holds the key's lease.
    var leased: Bool
}

/// Fleet-wide single-flight (cluster mode): each replica's ``SingleFlight`` already makes one fill
/// per key per process; this makes one per key for the fleet. The replica that claims the key's
/// lease calls upstream and stores the answer in the shared cache; the others poll until that answer
/// is there and serve it. A lease that ends without an answer (the fill failed, or its answer is not
/// storable) lets the next replica claim it; a store that cannot be reached, or a fleet that has not
/// answered within `budget`, means filling here.
struct FleetFill: Sendable {
    let leases: any FillLeases
    let store: any ResponseCacheStore
    /// The longest a fill may take: the lease's length, and how long others wait for it.
    let budget: TimeInterval
    var pollInterval: Duration = .milliseconds(20)

    /// `bypass`: only an answer stored after `started` will do (`Cache-Control: no-cache`).
    func fill(
        _ key: String, started: Date, bypass: Bool,
        here: (_ sharedClock: Int64?) async -> Result<CanonicalAnswer, any Error>
    ) async -> Result<CanonicalAnswer, any Error> {
        let deadline = started.addingTimeInterval(budget)
        while Date() < deadline {
            switch await leases.claim(key, holdFor: budget) {
            case .claimed(let owner, let clock):
                // Another replica may have stored it between this replica's lookup and its claim.
                let ready = bypass ? nil : await usable(key, started: started, bypass: false)
                let result = if let ready { Result<CanonicalAnswer, any Error>.success(ready) } else { await here(clock) }
                await leases.release(key, owner: owner)
                return result
            case .unavailable:
                return await here(nil)
            case .heldElsewhere:
                if let answer = await awaitOther(key, started: started, bypass: bypass, deadline: deadline) { return .success(answer) }
            }
        }
        return await here(nil)
    }

    /// Polls until the lease holder's answer is stored (it is returned) or the lease ends without one (nil).
    private func awaitOther(_ key: String, started: Date, bypass: Bool, deadline: Date) async -> CanonicalAnswer? {
        while Date() < deadline, !Task.isCancelled {
            try? await Task.sleep(for: pollInterval)
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
        let now = Date()
        guard answer.freshness(now: now, staleWhileRevalidate: 0, staleIfError: 0) == .fresh else { return nil }
        if bypass, answer.storedAt < started { return nil }
        return answer.answer
    }
}
