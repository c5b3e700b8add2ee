import ArgumentParser
import FlowgateDemoConfig
import FlowgateServer
import Foundation
import Logging
import Metrics
import Prometheus

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the gateway until SIGTERM or SIGINT, then drain.")

    @Option(name: .long, help: "Config file (see Config/example.yaml). Default: the embedded demo config (Config/demo.yaml).")
    var config: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical. Default: $LOG_LEVEL or info.")
    var logLevel: String?

    @Option(name: .long, help: "Write the process id here, for `flowgate reload --pid-file`.")
    var pidFile: String?

    func run() async throws {
        let launched = Date()
        let logger = makeLogger(label: "flowgate", level: logLevel)
        let source = try configSource(config)
        let gatewayConfig = try loadConfigOrExit(source)
        if let pidFile {
            try "\(getpid())\n".write(toFile: pidFile, atomically: true, encoding: .utf8)
        }
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
        try await GatewayServer.run(config: gatewayConfig, source: source, logger: logger, metrics: metrics)
    }
}

/// The config file at `path`, or the demo config built into the binary when `path` is nil.
func configSource(_ path: String?) throws -> ConfigSource {
    guard let path else {
        do {
            return .text(try DemoConfig.yaml(), name: DemoConfig.name)
        } catch {
            FileHandle.standardError.write(Data("flowgate: \(DemoConfig.name) is missing from this build (\(error))\n".utf8))
            throw ExitCode(1)
        }
    }
    return .file(path)
}

/// The validated config of `source`; on any problem, every one of them on stderr and exit status 1.
func loadConfigOrExit(_ source: ConfigSource) throws -> GatewayConfig {
    do {
        return try source.load()
    } catch let error as ConfigError {
        FileHandle.standardError.write(Data("flowgate: \(source.name): \(error)\n".utf8))
        throw ExitCode(1)
    } catch {
        FileHandle.standardError.write(Data("flowgate: \(source.name): cannot be read (\(error))\n".utf8))
        throw ExitCode(1)
    }
}

/// Writes `text` and a newline to standard output at once: `print` is block-buffered when stdout is
/// not a terminal (CI, `docker logs`, `| tee`), and a banner must not wait for the process to exit.
func printNow(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

func makeLogger(label: String, level: String?) -> Logger {
    let name = level ?? ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "info"
    // Metadata is set per request and written rarely: format it only when a line is written.
    LoggingSystem.bootstrap { label in DeferredMetadataLogHandler(StreamLogHandler.standardOutput(label: label)) }
    var logger = Logger(label: label)
    logger.logLevel = Logger.Level(rawValue: name.lowercased()) ?? .info
    return logger
}
