import FlowgateCore
import FlowgateServer
import Foundation

/// `ConfigLoader.parse(yaml:)` on any text: a config or a `ConfigError` listing problems, nothing else.
/// References resolve against a fixed environment and a fixed file reader: the fuzzer reads no file.
enum ConfigFuzz {
    private static let loader = ConfigLoader(
        references: SecretReferences(
            environment: ["FUZZ_SECRET": "fuzz-secret-value-0123456789", "FUZZ_KEY": "wf_fuzz_0000"],
            readFile: { _ in "fuzz-file-secret-0123456789\n" }
        )
    )

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }

    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        do {
            let config = try loader.parse(yaml: String(decoding: bytes, as: UTF8.self))
            // Canonical ids address connections by name: an accepted name must be one an id can carry.
            for connection in config.tenants.flatMap(\.connections) {
                let name = connection.name.utf8
                let grammar = name.count <= 63 && name.first.map { Self.isNameByte($0) && $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: "_") } == true
                Invariant.require(grammar && name.allSatisfy(Self.isNameByte), "connection name \(connection.name.debugDescription)")
            }
        } catch let error as ConfigError {
            Invariant.require(!error.problems.isEmpty, "a ConfigError without problems")
        } catch {
            fatalError("ConfigLoader.parse threw \(type(of: error)), not a ConfigError")
        }
    }
}
