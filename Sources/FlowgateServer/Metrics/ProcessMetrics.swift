import Foundation
import Prometheus

/// When this gateway process started: after a crash the supervisor (Docker's restart policy,
/// Kubernetes' `restartPolicy: Always`) starts a new process, every counter starts again from zero and
/// this gauge jumps. `changes(flowgate_process_start_time_seconds[1h]) > 0` in an alert says a replica
/// restarted, whatever the supervisor; deploy/README.md says what else an operator sees then.
extension GatewayMetrics {
    // MetricNameDescriptor is an immutable struct of strings that swift-prometheus has not marked Sendable.
    nonisolated(unsafe) private static let processStart = MetricNameDescriptor(
        namespace: "flowgate", subsystem: "process", metricName: "start_time", unitName: "seconds",
        helpText: "When this gateway process started, in seconds since the Unix epoch."
    )

    /// Records the process's start; `flowgate serve` calls it once, with the time it was launched.
    public func recordProcessStart(at date: Date) {
        registry.makeGauge(descriptor: Self.processStart).set(date.timeIntervalSince1970)
    }
}
