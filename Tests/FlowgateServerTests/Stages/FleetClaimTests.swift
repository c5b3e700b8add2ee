import FlowgateCore
import FlowgateProviders
import Foundation
import Synchronization
import Testing

@testable import FlowgateServer

/// A fleet fill's claim rides on its first upstream read's reservation (one round trip in cluster
/// mode): the bucket stage makes it once per fill, and no read goes once another replica holds the key.
@Suite struct FleetClaimTests {
    /// A bucket store that answers claims as told and counts how it was asked.
    final class ClaimingStore: RateLimitStore {
        let answer: FleetClaim.Outcome
        let local = MemoryRateLimitStore()
        private let calls = Mutex((combined: 0, plain: 0))

        init(answer: FleetClaim.Outcome) {
            self.answer = answer
        }

        var counts: (combined: Int, plain: Int) { calls.withLock { $0 } }

        func reserve(
            _ draws: [BucketDraw], maxWait: TimeInterval, claiming claim: FleetClaim, breaker: String
        ) async -> (
            outcome: FleetClaim.Outcome, reservation: Reservation?
        ) {
            calls.withLock { $0.combined += 1 }
            guard case .claimed = answer else { return (answer, nil) }
            return (answer, local.reserve(draws, maxWait: maxWait))
        }

        func reserve(_ draws: [BucketDraw], maxWait: TimeInterval) async -> Reservation {
            calls.withLock { $0.plain += 1 }
            return local.reserve(draws, maxWait: maxWait)
        }

        func block(_ draw: BucketDraw, forSeconds seconds: TimeInterval) async {}
        func reconcile(_ draw: BucketDraw, sentAt: TimeInterval, admission: Int, budget: UpstreamBudget) async {}
        func usage(_ draws: [BucketDraw]) async -> [BucketUsage] { [] }
        func restamp(_ draws: [BucketDraw], slot: TimeInterval, lateBy: TimeInterval) async {}
    }

    static let lease = FleetLease(key: "row", owner: "me")

    func stage(_ store: ClaimingStore, _ clock: ManualClock) -> BucketStage {
        BucketStage(
            owner: StageFixtures.owner, buckets: StageFixtures.buckets(["reads": .window(.init(limit: 100, window: 60, margin: 0))]),
            store: store, maxWait: .seconds(2), clock: clock, metrics: GatewayMetrics()
        )
    }

    @Test func theFillsFirstReadClaimsWithItsReservationAndTheRestReserveAlone() async throws {
        let clock = ManualClock()
        let store = ClaimingStore(answer: .claimed(Self.lease, clock: 7))
        let bucket = stage(store, clock)
        let claim = FleetClaim(lease: Self.lease, holdFor: 5, acceptsStored: false)
        try await FleetClaim.$current.withValue(claim) {
            try await bucket.admit(StageFixtures.write(bucket: "reads"), StageFixtures.budget(clock, .seconds(10)))
            #expect(claim.outcome == nil, "a write (a login) never carries the claim")
            for _ in 0..<3 { try await bucket.admit(StageFixtures.read(), StageFixtures.budget(clock, .seconds(10))) }
        }
        #expect(claim.outcome == .claimed(Self.lease, clock: 7))
        #expect(store.counts == (combined: 1, plain: 3))
    }

    @Test func whenAnotherReplicaHoldsTheKeyNoReadGoes() async throws {
        let clock = ManualClock()
        let store = ClaimingStore(answer: .heldElsewhere)
        let bucket = stage(store, clock)
        let claim = FleetClaim(lease: Self.lease, holdFor: 5, acceptsStored: true)
        await FleetClaim.$current.withValue(claim) {
            for _ in 0..<2 {
                await #expect(throws: FleetClaim.Yielded.self) {
                    try await bucket.admit(StageFixtures.read(), StageFixtures.budget(clock, .seconds(10)))
                }
            }
        }
        #expect(store.counts == (combined: 1, plain: 0), "asked once; nothing reserved")
    }

    /// A fan-out's branches race to be the fill's first read: one makes the claim, the others wait for it.
    @Test func concurrentFirstReadsMakeOneClaim() async throws {
        let clock = ManualClock()
        let store = ClaimingStore(answer: .claimed(Self.lease, clock: 1))
        let bucket = stage(store, clock)
        let claim = FleetClaim(lease: Self.lease, holdFor: 5, acceptsStored: false)
        try await FleetClaim.$current.withValue(claim) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await bucket.admit(StageFixtures.read(), StageFixtures.budget(clock, .seconds(10))) }
                }
                try await group.waitForAll()
            }
        }
        #expect(store.counts == (combined: 1, plain: 7))
    }
}
