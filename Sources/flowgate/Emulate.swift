import ArgumentParser
import FlowgateEmulators
import Logging
import ServiceLifecycle

struct Emulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the four upstream emulators on loopback (Bitrix24 9101, Workingflow 9102, Geotareas 9103, Cloudflare 9104)."
    )

    @Option(help: "Address to bind; loopback unless you mean it.")
    var host: String = "127.0.0.1"

    @Option(help: "Port of the first emulator; the others follow in order bitrix24, workingflow, geotareas, cloudflare.")
    var basePort: Int = 9101

    @Option(name: .long, help: "Log level of the emulators.")
    var logLevel: String?

    @Flag(help: "Lift the Cloudflare emulator's 1200 requests per 5 minutes (load benchmarks only).")
    var cloudflareUnlimited = false

    func run() async throws {
        let logger = makeLogger(label: "flowgate.emulate", level: logLevel)
        let names = ["bitrix24", "workingflow", "geotareas", "cloudflare"]
        let ports = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, basePort + $0) })
        for name in names { printNow("\(name) emulator: http://\(host):\(ports[name] ?? 0)") }
        printNow("Control: POST /_emulator/faults, DELETE /_emulator/faults, GET /_emulator/requests on each.")
        let services = EmulatorSet(cloudflareUnlimited: cloudflareUnlimited).services(host: host, ports: ports, logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        try await group.run()
    }
}
