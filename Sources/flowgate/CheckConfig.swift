import ArgumentParser
import FlowgateServer
import Foundation

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a config file and print every problem with its path; exit 1 if there is any."
    )

    @Argument(help: "Config file to check.")
    var file: String

    func run() throws {
        do {
            let config = try ConfigLoader().load(path: file)
            let connections = config.tenants.reduce(0) { $0 + $1.connections.count }
            print("\(file): OK (\(config.tenants.count) tenant(s), \(connections) connection(s))")
        } catch let error as ConfigError {
            print("\(file): \(error)")
            throw ExitCode(1)
        }
    }
}
