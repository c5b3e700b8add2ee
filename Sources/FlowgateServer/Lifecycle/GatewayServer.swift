import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// Runs the gateway until SIGTERM or SIGINT, then shuts down in order: `/readyz` turns 503 at once and
/// the server keeps serving for `server.shutdown_delay_s`; then it stops accepting and waits up to
/// `server.drain_timeout_s` for in-flight requests, after which they are cancelled; the upstream
/// client shuts down last.
public enum GatewayServer {
    /// Runs until SIGTERM or SIGINT; `SIGHUP` and changes of the files behind `source` reload the config.
    public static func run(config: GatewayConfig, source: ConfigSource, logger: Logger, metrics: GatewayMetrics = GatewayMetrics()) async throws {
        try await makeServiceGroup(
            config: config, logger: logger, metrics: metrics, signals: [.sigterm, .sigint], reload: ReloadOptions(source: source)
        ).run()
    }

    /// The service group `run` runs; tests trigger its graceful shutdown themselves.
    public static func makeServiceGroup(
        config: GatewayConfig, logger: Logger, metrics: GatewayMetrics = GatewayMetrics(), signals: [UnixSignal] = [],
        reload: ReloadOptions? = nil, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> ServiceGroup {
        let readiness = Readiness()
        let app = try buildApplication(
            config: config, logger: logger, metrics: metrics, readiness: readiness, reload: reload, onServerRunning: onServerRunning
        )
        var configuration = ServiceGroupConfiguration(
            services: [.init(service: app), .init(service: ReadinessService(readiness: readiness, delay: config.server.shutdownDelay))],
            gracefulShutdownSignals: signals,
            logger: logger
        )
        configuration.maximumGracefulShutdownDuration = config.server.drainTimeout + config.server.shutdownDelay
        return ServiceGroup(configuration: configuration)
    }
}
