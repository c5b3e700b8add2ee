import Hummingbird
import Logging
import ServiceLifecycle

/// Runs the gateway until SIGTERM or SIGINT, then drains: readiness flips to draining at once, the
/// server stops accepting and waits for in-flight requests up to `server.drain_timeout_s`, after which
/// they are cancelled; the upstream client shuts down last.
public enum GatewayServer {
    public static func run(config: GatewayConfig, logger: Logger, metrics: GatewayMetrics = GatewayMetrics()) async throws {
        let readiness = Readiness()
        let app = try buildApplication(config: config, logger: logger, metrics: metrics, readiness: readiness)
        var configuration = ServiceGroupConfiguration(
            services: [.init(service: app), .init(service: ReadinessService(readiness: readiness))],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        configuration.maximumGracefulShutdownDuration = config.server.drainTimeout
        try await ServiceGroup(configuration: configuration).run()
    }
}
