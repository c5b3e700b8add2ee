import FlowgateCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The shared cache of canonical read answers (docs/cache.md): per tenant, TTL per route, stale windows,
/// one upstream fill per key however many callers ask at once, and `X-Cache`/`Age` on every answer.
///
/// A stage over canonical bytes: a fill produces a ``CanonicalAnswer`` once, the store keeps it as it
/// is, and every caller's ``Response`` is built from those bytes. Fresh hits of canonical reads are
/// usually answered before the router, by ``CacheHitHandler`` reading the same store.
struct ResponseCache: Sendable {
    /// What one cacheable request is: its key, TTL and invalidation tags (``CachePolicy``).
    struct Lookup: Sendable {
        var key: String
        var ttl: TimeInterval
        var tags: Set<String>
        /// `Cache-Control: no-cache`: skip the stored answer, still coalesce the fresh read.
        var bypass: Bool
        /// The route template of a canonical read, stored with its answer (``CachedAnswer/canonicalRoute``).
        var canonicalRoute: String? = nil
    }

    let store: any ResponseCacheStore
    let flights = SingleFlight<Result<CanonicalAnswer, any Error>>()
    let staleWhileRevalidate: TimeInterval
    let staleIfError: TimeInterval
    let metrics: GatewayMetrics
    /// Cluster mode: one fill per key for the whole fleet, not just this process.
    var fleet: FleetFill? = nil
    /// Freshness, `Age` and stored-at times read this clock (tests move it instead of sleeping).
    var clock: any GatewayClock = SystemClock()

    /// The stored answer a request may use (none for `Cache-Control: no-cache`), read once: a fresh one
    /// is answered by ``hit(_:)`` without building the miss path's closure, anything else goes to
    /// ``serve(_:stored:_:)``.
    func stored(_ lookup: Lookup) async -> CachedAnswer? {
        lookup.bypass ? nil : await store.get(lookup.key)
    }

    /// The `HIT` answer, if `stored` is fresh.
    func hit(_ stored: CachedAnswer) -> Response? {
        let now = clock.date
        guard stored.freshness(now: now, staleWhileRevalidate: staleWhileRevalidate, staleIfError: staleIfError) == .fresh else { return nil }
        return hitResponse(stored, now: now)
    }

    private func hitResponse(_ stored: CachedAnswer, now: Date) -> Response {
        metrics.recordCache(.hit)
        return Self.response(stored, .hit, now: now)
    }

    func serve(_ lookup: Lookup, _ produce: @escaping @Sendable () async throws -> CanonicalAnswer) async throws -> Response {
        let stored = await stored(lookup)
        if let stored, let hit = hit(stored) { return hit }
        return try await serve(lookup, stored: stored, produce)
    }

    /// Everything but a fresh hit: stale answers, misses and bypasses, with the fill coalesced.
    func serve(
        _ lookup: Lookup, stored: CachedAnswer?, _ produce: @escaping @Sendable () async throws -> CanonicalAnswer
    ) async throws -> Response {
        var fallback: CachedAnswer?
        if let cached = stored {
            let now = clock.date
            switch cached.freshness(now: now, staleWhileRevalidate: staleWhileRevalidate, staleIfError: staleIfError) {
            case .fresh:
                return hitResponse(cached, now: now)
            case .staleWhileRevalidate:
                metrics.recordCache(.stale)
                _ = flights.run(lookup.key) { await fill(lookup, produce) }
                return Self.response(cached, .stale, now: now)
            case .staleIfError:
                fallback = cached
            case .expired:
                break
            }
        }
        let (flight, joined) = flights.run(lookup.key) { await fill(lookup, produce) }
        metrics.recordCache(joined ? CacheEvent.coalesced : lookup.bypass ? .bypass : .miss)
        switch await flight.value {
        case .success(let answer):
            return answer.response(xCache: lookup.bypass ? .bypass : .miss, age: 0)
        case .failure(let error):
            guard let fallback, Self.isUpstreamFailure(error) else { throw error }
            metrics.recordCache(.stale)
            return Self.response(fallback, .stale, now: clock.date)
        }
    }

    /// Drops what a write through the gateway made wrong: the instance's answers and its connection's lists.
    func invalidate(tenant: String, connection: String, instance: CanonicalID?) async {
        var tags: Set<String> = [CachePolicy.listsTag(tenant: tenant, connection: connection)]
        if let instance { tags.insert(CachePolicy.instanceTag(tenant: tenant, id: instance)) }
        await store.invalidate(tags: tags)
        metrics.setCacheBytes(await store.byteCount)
    }

    /// Drops every answer that read from these connections (a reload changed or removed them).
    func invalidate(tenant: String, connections: [String]) async {
        guard !connections.isEmpty else { return }
        await store.invalidate(tags: Set(connections.map { CachePolicy.connectionTag(tenant: tenant, connection: $0) }))
        metrics.setCacheBytes(await store.byteCount)
    }

    private func fill(_ lookup: Lookup, _ produce: @Sendable () async throws -> CanonicalAnswer) async -> Result<CanonicalAnswer, any Error> {
        guard let fleet else { return await fillHere(lookup, produce, claim: nil) }
        return await fleet.fill(lookup.key, started: clock.date, bypass: lookup.bypass) { claim in await fillHere(lookup, produce, claim: claim) }
    }

    /// Produces the answer here and stores it. In a fleet fill (`claim`), the shared invalidation clock
    /// the answer is stored under came with the claim, made before the first upstream read; the lease
    /// is released with the answer's shared copy, or on its own when there is nothing to store.
    private func fillHere(
        _ lookup: Lookup, _ produce: @Sendable () async throws -> CanonicalAnswer, claim: FleetClaim?
    ) async -> Result<CanonicalAnswer, any Error> {
        // Read before anything upstream: a write meanwhile must keep this fill's answer out.
        var generation = claim == nil ? await store.generation() : store.localGeneration()
        let result: Result<CanonicalAnswer, any Error>
        do {
            result = .success(try await produce())
        } catch {
            result = .failure(error)
        }
        let lease: FleetLease?
        switch claim?.outcome {
        case .claimed(let held, let clock)?:
            generation.shared = clock
            lease = held
        case .heldElsewhere?, .stored?:
            // Another replica fills this key; whatever came of this attempt is not the answer.
            return result
        case nil where claim != nil:
            // No upstream call: nothing was read that a write could have made stale.
            generation = await store.generation()
            lease = nil
        default:
            lease = nil
        }
        if case .success(let answer) = result, answer.status == .ok, !answer.noStore, lookup.ttl > 0 {
            let stored = CachedAnswer(
                status: answer.status.code, contentType: answer.head[.contentType] ?? JSONResponse.contentType, body: answer.body,
                storedAt: clock.date, ttl: lookup.ttl, tags: lookup.tags, canonicalRoute: lookup.canonicalRoute
            )
            await store.put(lookup.key, stored, ifUnchangedSince: generation, releasing: lease)
            metrics.setCacheBytes(await store.byteCount)
        } else if let lease {
            await store.release(lease)
        }
        return result
    }

    /// Stale answers stand in for an upstream that failed, never for a caller's own mistake.
    private static func isUpstreamFailure(_ error: any Error) -> Bool {
        guard let error = error as? GatewayError else { return false }
        return [.upstreamError, .upstreamTimeout, .upstreamUnavailable, .rateLimited].contains(error.code)
    }

    private static func response(_ stored: CachedAnswer, _ outcome: CacheOutcome, now: Date) -> Response {
        Response(
            status: HTTPResponse.Status(code: stored.status),
            headers: CanonicalAnswer.headers(stored.head, xCache: outcome, age: stored.age(now: now)),
            body: ResponseBody(byteBuffer: stored.body)
        )
    }
}
