import ArgumentParser
import FlowgateEmulators
import Logging
import ServiceLifecycle
import UnixSignals

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

    @Option(
        name: .customLong("variant"),
        help: """
            Answer in another plausible shape where the upstream's docs leave it open: <emulator>.<switch>=<value>, \
            repeatable (e.g. workingflow.file_items=fileName, cloudflare.listing=first_page_cursor). See docs/emulators.md.
            """
    )
    var variants: [String] = []

    func run() async throws {
        let logger = makeLogger(label: "flowgate.emulate", level: logLevel)
        let names = ["bitrix24", "workingflow", "geotareas", "cloudflare"]
        let ports = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, basePort + $0) })
        let emulators = EmulatorSet(cloudflareUnlimited: cloudflareUnlimited)
        let chosen = try Self.parseVariants(variants)
        do {
            try emulators.setVariants(chosen)
        } catch {
            throw ValidationError("--variant: \(error.description)")
        }
        for name in names { printNow("\(name) emulator: http://\(host):\(ports[name] ?? 0)") }
        printNow("Control: POST/DELETE /_emulator/faults, POST/GET/DELETE /_emulator/variant, GET /_emulator/requests on each.")
        for (name, switches) in chosen.sorted(by: { $0.key < $1.key }) {
            printNow("\(name) answers with \(switches.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))")
        }
        let services = emulators.services(host: host, ports: ports, logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        try await group.run()
    }

    /// `workingflow.file_items=fileName` → `["workingflow": ["file_items": "fileName"]]`.
    static func parseVariants(_ arguments: [String]) throws -> [String: [String: String]] {
        var values: [String: [String: String]] = [:]
        for argument in arguments {
            let assignment = argument.split(separator: "=", maxSplits: 1).map(String.init)
            let target = assignment.first?.split(separator: ".", maxSplits: 1).map(String.init) ?? []
            guard assignment.count == 2, target.count == 2, !assignment[1].isEmpty else {
                throw ValidationError("--variant \(argument): expected <emulator>.<switch>=<value>")
            }
            values[target[0], default: [:]][target[1]] = assignment[1]
        }
        return values
    }
}
