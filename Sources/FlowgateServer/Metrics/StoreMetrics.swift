import Prometheus

/// Cluster-mode metrics: whether this replica is running on its local state because PostgreSQL is
/// unreachable, and the store operations that failed.
extension GatewayMetrics {
    // MetricNameDescriptor is an immutable struct of strings that swift-prometheus has not marked Sendable.
    nonisolated(unsafe) private static let storeDegraded = MetricNameDescriptor(
        namespace: "flowgate", metricName: "store", unitName: "degraded",
        helpText: "1 while this replica cannot reach the shared PostgreSQL store and uses its local state, else 0."
    )
    nonisolated(unsafe) private static let storeFailures = MetricNameDescriptor(
        namespace: "flowgate", subsystem: "store", metricName: "failures", unitName: "total",
        helpText: "Shared-store operations that failed or timed out and fell back to local state, by operation."
    )
    nonisolated(unsafe) private static let storeFleet = MetricNameDescriptor(
        namespace: "flowgate", metricName: "store", unitName: "replicas",
        helpText: "Replicas seen alive in the shared store (heartbeats of the last 20 s)."
    )

    func setStoreDegraded(_ degraded: Bool) {
        registry.makeGauge(descriptor: Self.storeDegraded).set(Double(degraded ? 1 : 0))
    }

    func recordStoreFailure(operation: String) {
        registry.makeCounter(descriptor: Self.storeFailures, labels: [("operation", operation)]).increment()
    }

    func setFleetSize(_ replicas: Int) {
        registry.makeGauge(descriptor: Self.storeFleet).set(Double(replicas))
    }
}
