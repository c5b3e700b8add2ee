import FlowgateCore
import Foundation
import Prometheus
import Synchronization

/// The gateway's Prometheus registry and the metrics it records (README: Operations).
///
/// Each application owns its registry, so tests can read one app's metrics without a process-wide
/// bootstrap; `flowgate serve` also bootstraps swift-metrics onto the same registry so that library
/// metrics land in the same `/metrics`.
public final class GatewayMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    /// Bounds tuned for a gateway: sub-millisecond cache hits up to multi-second upstream calls.
    static let durationBuckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    // MetricNameDescriptor is an immutable struct of strings that swift-prometheus has not marked Sendable.
    nonisolated(unsafe) private static let requestsTotal = MetricNameDescriptor(
        namespace: "flowgate", subsystem: "http", metricName: "requests", unitName: "total",
        helpText: "Requests answered, by route template, method and status."
    )
    nonisolated(unsafe) private static let requestDuration = MetricNameDescriptor(
        namespace: "flowgate", subsystem: "http", metricName: "request_duration", unitName: "seconds",
        helpText: "Time to the response head, by route template, method and status."
    )

    nonisolated(unsafe) private static let upstreamTotal = MetricNameDescriptor(
        namespace: "flowgate", subsystem: "upstream", metricName: "requests", unitName: "total",
        helpText: "Upstream calls, by tenant, connection, provider, upstream route and status (or failure)."
    )
    nonisolated(unsafe) private static let upstreamDuration = MetricNameDescriptor(
        namespace: "flowgate", subsystem: "upstream", metricName: "request_duration", unitName: "seconds",
        helpText: "Upstream call time, by tenant, connection, provider, upstream route and status (or failure)."
    )

    nonisolated(unsafe) private static let shapeDrift = MetricNameDescriptor(
        namespace: "flowgate", subsystem: "upstream", metricName: "shape_drift", unitName: "total",
        helpText: "Upstream values of a shape the adapter could not use (left out of the answer), by tenant, connection and field."
    )

    nonisolated(unsafe) private static let rateLimitWaits = MetricNameDescriptor(
        namespace: "flowgate", subsystem: "ratelimit", metricName: "waits", unitName: "total",
        helpText: "Upstream calls that waited for a token, by tenant and bucket (<connection>/<bucket>)."
    )
    nonisolated(unsafe) private static let rateLimitRejections = MetricNameDescriptor(
        namespace: "flowgate", subsystem: "ratelimit", metricName: "rejections", unitName: "total",
        helpText: "Upstream calls refused locally with 429 because their bucket was empty, by tenant and bucket."
    )
    nonisolated(unsafe) private static let rateLimitLate = MetricNameDescriptor(
        namespace: "flowgate", subsystem: "ratelimit", metricName: "late", unitName: "total",
        helpText: "Upstream calls answered more than 5 ms after their slot (a busy gateway or a slow upstream), by tenant and bucket."
    )
    nonisolated(unsafe) private static let budgetUsed = MetricNameDescriptor(
        namespace: "flowgate", subsystem: "upstream", metricName: "budget", unitName: "used",
        helpText: "Slots of an upstream bucket in use (calls in its window or burst, and calls waiting), by tenant, connection and bucket."
    )
    nonisolated(unsafe) private static let budgetLimit = MetricNameDescriptor(
        namespace: "flowgate", subsystem: "upstream", metricName: "budget", unitName: "limit",
        helpText: "Slots of an upstream bucket: a window's limit or a token bucket's burst, by tenant, connection and bucket."
    )
    nonisolated(unsafe) private static let circuitOpen = MetricNameDescriptor(
        namespace: "flowgate", metricName: "circuit", unitName: "open",
        helpText: "1 while a connection's circuit is open or half-open, else 0, by tenant and connection."
    )

    nonisolated(unsafe) private static let configReloads = MetricNameDescriptor(
        namespace: "flowgate", subsystem: "config", metricName: "reloads", unitName: "total",
        helpText: "Config reloads (SIGHUP or a changed file), by result: success, failed (the old config kept serving)."
    )
    nonisolated(unsafe) private static let configGeneration = MetricNameDescriptor(
        namespace: "flowgate", metricName: "config", unitName: "generation",
        helpText: "The config generation serving new requests: 1 at start, one more per successful reload."
    )
    nonisolated(unsafe) private static let configLastSuccess = MetricNameDescriptor(
        namespace: "flowgate", subsystem: "config", metricName: "last_reload_success_timestamp", unitName: "seconds",
        helpText: "Unix time of the last successful config load (the start-up load counts)."
    )

    nonisolated(unsafe) private static let cacheEvents = MetricNameDescriptor(
        namespace: "flowgate", subsystem: "cache", metricName: "events", unitName: "total",
        helpText: "Cache outcomes: hit, miss, stale, bypass, coalesced, evicted."
    )
    nonisolated(unsafe) private static let cacheBytes = MetricNameDescriptor(
        namespace: "flowgate", metricName: "cache", unitName: "bytes",
        helpText: "Bytes of answers held by the response cache."
    )

    private let cacheEventCounters: [String: Counter]
    /// Hits answered below the router (``CacheHitHandler``). Not exported: nothing observable is to tell
    /// those answers from the router's; counted for tests and for debugging a running process.
    let hitsBelowRouter = Atomic<Int>(0)
    private let cacheBytesGauge: Gauge

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        self.cacheEventCounters = Dictionary(
            uniqueKeysWithValues: ["hit", "miss", "stale", "bypass", "coalesced", "evicted"].map { result in
                (result, registry.makeCounter(descriptor: Self.cacheEvents, labels: [("result", result)]))
            }
        )
        self.cacheBytesGauge = registry.makeGauge(descriptor: Self.cacheBytes)
    }

    // Per-request series, asked of the registry once each (``SeriesCache``), by their label values.
    private let upstreamCounters = SeriesCache<[String], Counter>()
    private let upstreamDurations = SeriesCache<[String], DurationHistogram>()
    private let shapeDrifts = SeriesCache<[String], Counter>()
    private let rateLimitWaitCounters = SeriesCache<[String], Counter>()
    private let rateLimitRejectionCounters = SeriesCache<[String], Counter>()
    private let rateLimitLateCounters = SeriesCache<[String], Counter>()
    private let budgetUsedGauges = SeriesCache<[String], Gauge>()
    private let budgetLimitGauges = SeriesCache<[String], Gauge>()
    private let circuitGauges = SeriesCache<[String], Gauge>()

    private func counter(_ series: SeriesCache<[String], Counter>, _ descriptor: MetricNameDescriptor, _ labels: [(String, String)]) -> Counter {
        series.handle(labels.map(\.1)) { registry.makeCounter(descriptor: descriptor, labels: labels) }
    }

    private func gauge(_ series: SeriesCache<[String], Gauge>, _ descriptor: MetricNameDescriptor, _ labels: [(String, String)]) -> Gauge {
        series.handle(labels.map(\.1)) { registry.makeGauge(descriptor: descriptor, labels: labels) }
    }

    private struct RequestSeries: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    /// The request metrics' handles by label set: asking the registry for them on every request costs
    /// more than the rest of a cache hit's bookkeeping, and the label set is bounded.
    private struct RequestHandles {
        let counter: Counter
        let histogram: DurationHistogram
    }

    /// Keyed by a struct, not by label strings: it is asked on every request, cache hits included.
    private let requestSeries = SeriesCache<RequestSeries, RequestHandles>()

    /// Records one answered request. Labels must already be bounded: a route template, a known method.
    func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        let handles = requestSeries.handle(RequestSeries(route: route, method: method, status: status)) {
            let labels = [("route", route), ("method", method), ("status", String(status))]
            return RequestHandles(
                counter: registry.makeCounter(descriptor: Self.requestsTotal, labels: labels),
                histogram: registry.makeDurationHistogram(descriptor: Self.requestDuration, labels: labels, buckets: Self.durationBuckets)
            )
        }
        handles.counter.increment()
        handles.histogram.recordNanoseconds(duration.nanoseconds)
    }

    /// Records one upstream call. `operation` is a route-table key, `status` a code or a failure word.
    /// Every series that names a connection or a bucket also names its tenant: connection names repeat
    /// across tenants, and two tenants' upstreams must never share a series.
    func recordUpstream(_ owner: ConnectionLabels, operation: String, status: String, duration: Duration) {
        let labels = [
            ("tenant", owner.tenant), ("connection", owner.connection), ("provider", owner.provider.rawValue), ("operation", operation),
            ("status", status),
        ]
        counter(upstreamCounters, Self.upstreamTotal, labels).increment()
        upstreamDurations.handle(labels.map(\.1)) {
            registry.makeDurationHistogram(descriptor: Self.upstreamDuration, labels: labels, buckets: Self.durationBuckets)
        }
        .recordNanoseconds(duration.nanoseconds)
    }

    /// Counts one upstream value the adapter could not use. `field` is a path from adapter code.
    func recordShapeDrift(tenant: String, connection: String, field: String) {
        counter(shapeDrifts, Self.shapeDrift, [("tenant", tenant), ("connection", connection), ("field", field)]).increment()
    }

    func recordRateLimitWait(_ owner: ConnectionLabels, bucket: String) {
        counter(rateLimitWaitCounters, Self.rateLimitWaits, [("tenant", owner.tenant), ("bucket", bucket)]).increment()
    }

    func recordRateLimitRejection(_ owner: ConnectionLabels, bucket: String) {
        counter(rateLimitRejectionCounters, Self.rateLimitRejections, [("tenant", owner.tenant), ("bucket", bucket)]).increment()
    }

    func recordRateLimitLate(_ owner: ConnectionLabels, bucket: String) {
        counter(rateLimitLateCounters, Self.rateLimitLate, [("tenant", owner.tenant), ("bucket", bucket)]).increment()
    }

    /// Slots in use in one of a connection's buckets, as last reserved or read (`bucket` is the bucket's name).
    func setBudgetUsed(_ owner: ConnectionLabels, bucket: String, used: Int) {
        gauge(budgetUsedGauges, Self.budgetUsed, budgetLabels(owner, bucket)).set(Double(used))
    }

    func setBudgetLimit(_ owner: ConnectionLabels, bucket: String, limit: Int) {
        gauge(budgetLimitGauges, Self.budgetLimit, budgetLabels(owner, bucket)).set(Double(limit))
    }

    private func budgetLabels(_ owner: ConnectionLabels, _ bucket: String) -> [(String, String)] {
        [("tenant", owner.tenant), ("connection", owner.connection), ("bucket", bucket)]
    }

    func setCircuit(_ owner: ConnectionLabels, state: ConnectionInfo.CircuitState) {
        gauge(circuitGauges, Self.circuitOpen, [("tenant", owner.tenant), ("connection", owner.connection)]).set(Double(state == .closed ? 0 : 1))
    }

    func recordConfigReload(success: Bool) {
        registry.makeCounter(descriptor: Self.configReloads, labels: [("result", success ? "success" : "failed")]).increment()
    }

    /// The generation now serving, and when it was loaded.
    func setConfigGeneration(_ number: Int, loadedAt: Date) {
        registry.makeGauge(descriptor: Self.configGeneration).set(Double(number))
        registry.makeGauge(descriptor: Self.configLastSuccess).set(loadedAt.timeIntervalSince1970)
    }

    func recordCache(_ result: String, count: Int = 1) {
        cacheEventCounters[result]?.increment(by: Int64(count))
    }

    func recordCache(_ event: CacheEvent) {
        cacheEventCounters[event.rawValue]?.increment()
    }

    func setCacheBytes(_ bytes: Int) {
        cacheBytesGauge.set(Double(bytes))
    }

    /// The Prometheus text exposition of every metric.
    public func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
