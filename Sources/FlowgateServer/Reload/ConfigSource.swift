import Crypto
import FlowgateCore
import Foundation
import Synchronization

/// Where the gateway's config comes from, for a reload to read it again: a file (with the
/// `${file:…}` secrets it names), or a fixed text (the demo config built into the binary).
public final class ConfigSource: Sendable {
    private enum Kind: Sendable {
        case file(String)
        case text(String)
    }

    private let kind: Kind
    /// How the source is named in log lines.
    public let name: String
    let environment: [String: String]

    public static func file(_ path: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> ConfigSource {
        ConfigSource(kind: .file(path), name: path, environment: environment)
    }

    public static func text(_ yaml: String, name: String) -> ConfigSource {
        ConfigSource(kind: .text(yaml), name: name, environment: ProcessInfo.processInfo.environment)
    }

    /// A loaded config and the files it was read from: the config file itself and every `${file:…}`
    /// secret, which a change of any of them must reload.
    struct Loaded: Sendable {
        var config: GatewayConfig
        var files: [String]
    }

    /// Loads and validates the whole config; throws ``ConfigError`` with every problem.
    public func load() throws -> GatewayConfig {
        try loadWithFiles().config
    }

    func loadWithFiles() throws -> Loaded {
        let read = Mutex<[String]>([])
        let references = SecretReferences(environment: environment) { path in
            read.withLock { $0.append(path) }
            return try String(contentsOfFile: path, encoding: .utf8)
        }
        let loader = ConfigLoader(references: references)
        switch kind {
        case .file(let path):
            // Secret files are recorded even when the config is refused, so fixing one reloads.
            defer {
                let files = [path] + read.withLock { $0 }
                lastRead.withLock { $0 = (files, Self.fingerprint(of: files)) }
            }
            let config = try loader.load(path: path)
            return Loaded(config: config, files: [path] + read.withLock { $0 })
        case .text(let yaml):
            return Loaded(config: try loader.parse(yaml: yaml), files: read.withLock { $0 })
        }
    }

    /// The files the last load read, whether or not it succeeded.
    var filesLastRead: [String] { lastRead.withLock { $0.files } }
    /// Their contents' ``fingerprint(of:)`` just after that load: what a watcher compares against, so a
    /// change made at any moment after the load — even before the watcher starts — is seen.
    var fingerprintLastRead: String { lastRead.withLock { $0.fingerprint } }
    private let lastRead: Mutex<(files: [String], fingerprint: String)>

    private init(kind: Kind, name: String, environment: [String: String]) {
        self.kind = kind
        self.name = name
        self.environment = environment
        if case .file(let path) = kind {
            self.lastRead = Mutex(([path], Self.fingerprint(of: [path])))
        } else {
            self.lastRead = Mutex(([], Self.fingerprint(of: [])))
        }
    }

    /// A digest of the files' contents (following symlinks: a Kubernetes ConfigMap or Secret update
    /// swaps a symlink, and the content is what changed); a missing file counts as its own state.
    static func fingerprint(of files: [String]) -> String {
        var hasher = SHA256()
        for file in files {
            hasher.update(data: Data(file.utf8))
            if let data = FileManager.default.contents(atPath: file) {
                hasher.update(data: Data([1]))
                hasher.update(data: data)
            } else {
                hasher.update(data: Data([0]))
            }
        }
        return HexDigits.lowercase(hasher.finalize())
    }
}
