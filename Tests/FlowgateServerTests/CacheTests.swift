import Foundation
import NIOCore
import Synchronization
import Testing

@testable import FlowgateServer

@Suite struct CacheLRUTests {
    @Test func evictsTheLeastRecentlyUsedToStayWithinTheBudget() {
        var lru = CacheLRU(maxBytes: 300)
        #expect(lru.insert("a", bytes: 100).isEmpty)
        #expect(lru.insert("b", bytes: 100).isEmpty)
        #expect(lru.insert("c", bytes: 100).isEmpty)
        lru.touch("a")
        #expect(lru.insert("d", bytes: 100) == ["b"], "b is the least recently used once a was touched")
        #expect(lru.insert("e", bytes: 250) == ["c", "a", "d"])
        #expect(lru.bytes == 250)
        #expect(lru.count == 1)
    }

    @Test func replacingAKeyCountsItsBytesOnce() {
        var lru = CacheLRU(maxBytes: 1000)
        _ = lru.insert("a", bytes: 400)
        _ = lru.insert("a", bytes: 500)
        #expect(lru.bytes == 500)
        lru.remove("a")
        #expect(lru.bytes == 0)
        #expect(lru.count == 0)
    }
}

@Suite struct CachedAnswerTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func freshThenStaleWhileRevalidatingThenOnlyOnErrorThenExpired() {
        let answer = CachedAnswer(status: 200, contentType: "application/json", body: ByteBuffer(), storedAt: t0, ttl: 10, tags: [])
        func at(_ seconds: Double) -> CachedAnswer.Freshness {
            answer.freshness(now: t0.addingTimeInterval(seconds), staleWhileRevalidate: 5, staleIfError: 60)
        }
        #expect(at(9.9) == .fresh)
        #expect(at(10) == .staleWhileRevalidate)
        #expect(at(15) == .staleIfError)
        #expect(at(70) == .expired)
        #expect(answer.age(now: t0.addingTimeInterval(12.7)) == 12)
    }
}

@Suite struct MemoryResponseCacheTests {
    func answer(_ tags: Set<String>, bytes: Int = 10) -> CachedAnswer {
        CachedAnswer(
            status: 200, contentType: "application/json", body: ByteBuffer(repeating: 0, count: bytes), storedAt: Date(), ttl: 60, tags: tags)
    }

    @Test func invalidationDropsEveryAnswerWithTheTag() {
        let cache = MemoryResponseCache(maxBytes: 1 << 20)
        cache.put("k1", answer(["lists:acme/geo"]), ifUnchangedSince: cache.generation())
        cache.put("k2", answer(["lists:acme/geo", "lists:acme/cf"]), ifUnchangedSince: cache.generation())
        cache.put("k3", answer(["lists:acme/cf"]), ifUnchangedSince: cache.generation())
        cache.invalidate(tags: ["lists:acme/geo"])
        #expect(cache.get("k1") == nil)
        #expect(cache.get("k2") == nil)
        #expect(cache.get("k3") != nil)
    }

    @Test func aFillThatRacedAWriteIsNotStored() {
        let cache = MemoryResponseCache(maxBytes: 1 << 20)
        let started = cache.generation()
        cache.invalidate(tags: ["instance:acme/geo:1"])
        cache.put("k", answer(["instance:acme/geo:1"]), ifUnchangedSince: started)
        #expect(cache.get("k") == nil, "the answer read before the write would put old data back")
        cache.put("k2", answer(["instance:acme/geo:2"]), ifUnchangedSince: started)
        #expect(cache.get("k2") != nil, "other instances are unaffected")
    }

    @Test func theByteBoundHoldsUnderAFloodOfKeys() {
        let evictions = EvictionCounter()
        let cache = MemoryResponseCache(maxBytes: 50_000, onEvict: { evictions.add($0) })
        for index in 0..<5000 { cache.put("k\(index)", answer([], bytes: 1000), ifUnchangedSince: cache.generation()) }
        #expect(cache.byteCount <= 50_000)
        #expect(cache.count == 50_000 / 1256)
        #expect(evictions.total == 5000 - cache.count)
        #expect(cache.get("k4999") != nil)
        #expect(cache.get("k0") == nil)
    }
}

final class EvictionCounter: Sendable {
    private let count = Mutex(0)
    func add(_ value: Int) { count.withLock { $0 += value } }
    var total: Int { count.withLock { $0 } }
}

@Suite struct SingleFlightTests {
    @Test func concurrentCallersShareOneRun() async throws {
        let flights = SingleFlight<Int>()
        let runs = EvictionCounter()
        let asked = EvictionCounter()
        // The run holds until all 100 callers have asked: every one of them finds it in flight.
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        async let collected = withTaskGroup(of: (Int, Bool).self) { group in
            for _ in 0..<100 {
                group.addTask {
                    let (task, joined) = flights.run("k") {
                        runs.add(1)
                        for await _ in gate { break }
                        return 42
                    }
                    asked.add(1)
                    return (await task.value, joined)
                }
            }
            return await group.reduce(into: [(Int, Bool)]()) { $0.append($1) }
        }
        try await eventually { asked.total == 100 }
        open.yield()
        open.finish()
        let results = await collected
        #expect(runs.total == 1)
        #expect(results.allSatisfy { $0.0 == 42 })
        #expect(results.filter { !$0.1 }.count == 1, "one caller started it, the rest joined")
        #expect(flights.count == 0, "a finished flight is forgotten")
    }
}
