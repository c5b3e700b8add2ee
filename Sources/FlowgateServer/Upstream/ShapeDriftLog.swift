import FlowgateProviders
import Logging
import Synchronization

/// The server's side of tolerant reading for one connection: every upstream value of a shape the
/// adapter could not use counts in `flowgate_upstream_shape_drift_total{tenant,connection,field}`, and
/// the first of each (field, shape) is logged as a warning — once, so a drifted upstream does not
/// flood the log at request rate. Field paths and shape words come from adapter code, never from
/// upstream keys, so the set stays small.
final class ShapeDriftLog: Sendable {
    private struct Seen: Hashable {
        var field: String
        var shape: String
    }

    let tenant: String
    let connection: String
    let provider: String
    let metrics: GatewayMetrics
    let fallbackLogger: Logger
    private let seen = Mutex<Set<Seen>>([])

    init(tenant: String, connection: String, provider: String, metrics: GatewayMetrics, logger: Logger) {
        self.tenant = tenant
        self.connection = connection
        self.provider = provider
        self.metrics = metrics
        self.fallbackLogger = logger
    }

    var reporter: ShapeDrift {
        ShapeDrift { [self] field, shape in report(field: field, shape: shape) }
    }

    /// Facts the adapter learned once (which path answered…), logged at info.
    var notice: ProviderNotice {
        ProviderNotice { [self] message in
            (RequestScope.current?.logger ?? fallbackLogger).info(
                "\(message)", metadata: ["tenant": "\(tenant)", "connection": "\(connection)", "provider": "\(provider)"]
            )
        }
    }

    func report(field: String, shape: String) {
        metrics.recordShapeDrift(tenant: tenant, connection: connection, field: field)
        let first = seen.withLock { $0.insert(Seen(field: field, shape: shape)).inserted }
        guard first else { return }
        (RequestScope.current?.logger ?? fallbackLogger).warning(
            "upstream answer has a field of an unexpected shape; it is left out of the canonical answer (include=raw shows it)",
            metadata: [
                "tenant": "\(tenant)", "connection": "\(connection)", "provider": "\(provider)", "field": "\(field)", "shape": "\(shape)",
            ]
        )
    }
}
