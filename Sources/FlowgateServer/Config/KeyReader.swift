import Foundation
import Yams

/// Reads one entry of a tenant's `keys:`.
struct KeyReader {
    let reader: ConfigReader

    func read(_ node: Node, at path: String) -> KeyConfig? {
        guard let entries = reader.mapping(node, at: path, required: ["id", "hash", "scopes"], optional: ["rate"]) else {
            return nil
        }
        let id = entries["id"].flatMap { reader.name($0, at: "\(path).id") }
        let hash = entries["hash"].flatMap { readHash($0, at: "\(path).hash") }
        let scopes = entries["scopes"].flatMap { readScopes($0, at: "\(path).scopes") }
        let rate = entries["rate"].flatMap { readRate($0, at: "\(path).rate") }
        guard let id, let hash, let scopes else { return nil }
        return KeyConfig(id: id, hash: hash, scopes: scopes, rate: rate)
    }

    private func readHash(_ node: Node, at path: String) -> [UInt8]? {
        guard let text = reader.string(node, at: path) else { return nil }
        guard text.hasPrefix("sha256:"), let bytes = KeyHash.bytes(fromLowercaseHex: text.dropFirst(7)), bytes.count == 32 else {
            reader.report(path, node, "must be 'sha256:' and 64 lowercase hex digits (`flowgate hash-key` prints one)")
            return nil
        }
        return bytes
    }

    private func readScopes(_ node: Node, at path: String) -> Set<KeyConfig.Scope>? {
        guard let items = reader.sequence(node, at: path) else { return nil }
        if items.isEmpty { reader.report(path, node, "must grant at least one scope") }
        var scopes: Set<KeyConfig.Scope> = []
        for (index, item) in items.enumerated() {
            guard let text = reader.string(item, at: "\(path)[\(index)]") else { continue }
            guard let scope = KeyConfig.Scope(rawValue: text) else {
                reader.report("\(path)[\(index)]", item, "unknown scope '\(text)' (expected read, execute or native)")
                continue
            }
            scopes.insert(scope)
        }
        return scopes
    }

    private func readRate(_ node: Node, at path: String) -> KeyConfig.Rate? {
        guard let entries = reader.mapping(node, at: path, required: ["per_second", "burst"]) else { return nil }
        let perSecond = entries["per_second"].flatMap { reader.number($0, at: "\(path).per_second", in: 0.001...1_000_000) }
        let burst = entries["burst"].flatMap { reader.int($0, at: "\(path).burst", in: 1...1_000_000) }
        guard let perSecond, let burst else { return nil }
        return KeyConfig.Rate(perSecond: perSecond, burst: burst)
    }
}
