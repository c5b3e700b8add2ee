import ArgumentParser
import FlowgateServer

struct HashKey: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash-key",
        abstract: "Print a fresh random gateway API key and the hash to put in config (keys[].hash)."
    )

    func run() throws {
        let key = KeyHash.generateKey()
        print("key:  \(key)")
        print("hash: \(KeyHash.configString(of: key))")
    }
}
