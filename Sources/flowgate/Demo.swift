import ArgumentParser
import FlowgateCore
import FlowgateEmulators
import FlowgateServer
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start the four upstream emulators and the gateway with Config/demo.yaml, and print commands to try."
    )

    @Option(help: "Demo config; its connections' base URLs say where each emulator listens. Default: the embedded Config/demo.yaml.")
    var config: String?

    @Option(name: .long, help: "Log level of the gateway (emulators log warnings only).")
    var logLevel: String?

    /// The key `Config/demo.yaml` holds the hash of: public on purpose, loopback only.
    static let demoKey = "fgk_demo_local_only"

    func run() async throws {
        let logger = makeLogger(label: "flowgate", level: logLevel)
        let gatewayConfig = try loadConfigOrExit(try configSource(config))
        var emulatorLogger = logger
        emulatorLogger.logLevel = .warning
        let emulators = EmulatorSet().services(host: "127.0.0.1", ports: Self.emulatorPorts(gatewayConfig), logger: emulatorLogger)
        let gateway = try GatewayServer.makeServiceGroup(
            config: gatewayConfig, logger: logger,
            onServerRunning: { port in printNow(Self.banner(port: port, config: gatewayConfig)) }
        )
        // Emulators first: they stop after the gateway, which drains requests still talking to them.
        let group = ServiceGroup(
            configuration: .init(
                services: emulators.map { .init(service: $0) } + [.init(service: gateway)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
            )
        )
        try await group.run()
    }

    /// Each provider's emulator listens where the demo config's connection of that provider points.
    static func emulatorPorts(_ config: GatewayConfig) -> [String: Int] {
        var ports: [String: Int] = [:]
        for connection in config.tenants.flatMap(\.connections) {
            if let port = URLComponents(string: connection.baseURL)?.port { ports[connection.provider.rawValue] = port }
        }
        return ports
    }

    /// A native passthrough call on the config's Cloudflare connection (docs/native.md), if it has one.
    static func nativeExample(auth: String, base: String, config: GatewayConfig) -> String {
        guard let cloudflare = config.tenants.flatMap(\.connections).first(where: { $0.provider.rawValue == "cloudflare" }) else { return "" }
        let path = "/v1/connections/\(cloudflare.name)/native/accounts/\(cloudflare.accountID ?? "")/workflows"
        return "curl -s \(auth) \(base)\(path)    # Cloudflare's own API, its token injected"
    }

    static func banner(port: Int, config: GatewayConfig) -> String {
        let base = "http://127.0.0.1:\(port)"
        let auth = "-H 'Authorization: Bearer \(demoKey)'"
        let ports = emulatorPorts(config)
        let emulators = ports.sorted { $0.value < $1.value }.map { "  \($0.key): http://127.0.0.1:\($0.value)" }
        let geotareas = ports["geotareas"].map { "http://127.0.0.1:\($0)" } ?? "<the Geotareas emulator>"
        return """

            Flowgate demo is running at \(base)  (tenant demo, key \(demoKey))
            Emulated upstreams:
            \(emulators.joined(separator: "\n"))

            Try:
              curl -s \(auth) \(base)/v1/connections
              curl -s \(auth) '\(base)/v1/definitions'
              curl -s \(auth) '\(base)/v1/instances?status=running&limit=10'
              curl -s \(auth) \(base)/v1/instances/geo:591847302948571634
              curl -s \(auth) -X POST \(base)/v1/instances -d '{"definition":"cf:order-fulfillment","input":{"order":42}}'
              \(nativeExample(auth: auth, base: base, config: config))
              curl -s \(base)/metrics | grep flowgate_http_requests_total
              curl -s \(base)/v1/openapi.yaml | head

            Upstream faults, switchable at runtime (here: Geotareas answers 503 twice):
              curl -s -X POST \(geotareas)/_emulator/faults -d '{"kind":"error","status":503,"code":"UNAVAILABLE","count":2}'

            Ctrl-C stops everything (the gateway drains first).

            """
    }
}
