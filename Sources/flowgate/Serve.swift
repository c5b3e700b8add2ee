import ArgumentParser
import FlowgateServer
import Foundation
import Logging
import Metrics
import Prometheus

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the gateway until SIGTERM or SIGINT, then drain.")

    @Option(name: .long, help: "Config file (DESIGN §5).")
    var config: String = "Config/demo.yaml"

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical. Default: $LOG_LEVEL or info.")
    var logLevel: String?

    func run() async throws {
        let launched = Date()
        let logger = makeLogger(label: "flowgate", level: logLevel)
        let gatewayConfig = try loadConfigOrExit(config)
        let metrics = GatewayMetrics()
        metrics.recordProcessStart(at: launched)
        // Library metrics (swift-metrics users) land in the same registry as the gateway's own.
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics.registry))
        logger.info(
            "Starting Flowgate",
            metadata: [
                "address": "\(gatewayConfig.server.host):\(gatewayConfig.server.port)",
                "tenants": "\(gatewayConfig.tenants.count)",
            ]
        )
        try await GatewayServer.run(config: gatewayConfig, logger: logger, metrics: metrics)
    }
}

/// The validated config, or every problem on stderr and exit status 1.
func loadConfigOrExit(_ path: String) throws -> GatewayConfig {
    do {
        return try ConfigLoader().load(path: path)
    } catch let error as ConfigError {
        FileHandle.standardError.write(Data("flowgate: \(path): \(error)\n".utf8))
        throw ExitCode(1)
    }
}

func makeLogger(label: String, level: String?) -> Logger {
    let name = level ?? ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "info"
    // Metadata is set per request and written rarely: format it only when a line is written.
    LoggingSystem.bootstrap { label in DeferredMetadataLogHandler(StreamLogHandler.standardOutput(label: label)) }
    var logger = Logger(label: label)
    logger.logLevel = Logger.Level(rawValue: name.lowercased()) ?? .info
    return logger
}
