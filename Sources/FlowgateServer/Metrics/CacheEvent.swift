/// The `result` label of `flowgate_cache_events_total`: what the cache did for one request (or, for
/// `evicted`, to one entry).
enum CacheEvent: String, Sendable {
    case hit, miss, stale, bypass, coalesced, evicted
}
