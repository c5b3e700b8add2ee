import ArgumentParser

@main
struct Flowgate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flowgate",
        abstract: "One canonical REST API for workflow engines: Bitrix24, Workingflow, Geotareas and Cloudflare Workflows.",
        subcommands: [Serve.self, Demo.self, Emulate.self, CheckConfig.self, HashKey.self, Reload.self],
        defaultSubcommand: Serve.self
    )
}
