import FlowgateCore
import Foundation
import Yams

/// Reads `tenants:`: names, keys and connections, with the cross-entry checks (duplicates) that need
/// the whole list.
struct TenantReader {
    let reader: ConfigReader

    func readAll(_ node: Node) -> [TenantConfig] {
        guard let items = reader.sequence(node, at: "tenants") else { return [] }
        if items.isEmpty { reader.report("tenants", node, "must list at least one tenant") }
        var tenants: [TenantConfig] = []
        var seenNames: Set<String> = []
        var seenHashes: [[UInt8]: String] = [:]
        for (index, item) in items.enumerated() {
            let path = "tenants[\(index)]"
            // Duplicates are checked on the raw names, so an entry with other problems still counts.
            if let name = ConfigReader.rawValue(item, "name"), !seenNames.insert(name).inserted {
                reader.report("\(path).name", item, "duplicate tenant name '\(name)'")
            }
            guard let tenant = readTenant(item, at: path) else { continue }
            for (keyIndex, key) in tenant.keys.enumerated() {
                if let owner = seenHashes[key.hash] {
                    reader.report("\(path).keys[\(keyIndex)].hash", item, "the same key hash is already used by \(owner)")
                } else {
                    seenHashes[key.hash] = "\(tenant.name)/\(key.id)"
                }
            }
            tenants.append(tenant)
        }
        return tenants
    }

    private func readTenant(_ node: Node, at path: String) -> TenantConfig? {
        guard let entries = reader.mapping(node, at: path, required: ["name", "keys"], optional: ["connections"]) else {
            return nil
        }
        let name = entries["name"].flatMap { reader.name($0, at: "\(path).name") }
        var keys: [KeyConfig] = []
        if let keysNode = entries["keys"], let items = reader.sequence(keysNode, at: "\(path).keys") {
            var seen: Set<String> = []
            for (index, item) in items.enumerated() {
                if let id = ConfigReader.rawValue(item, "id"), !seen.insert(id).inserted {
                    reader.report("\(path).keys[\(index)].id", item, "duplicate key id '\(id)'")
                }
                if let key = KeyReader(reader: reader).read(item, at: "\(path).keys[\(index)]") { keys.append(key) }
            }
        }
        var connections: [ConnectionConfig] = []
        if let connectionsNode = entries["connections"], let items = reader.sequence(connectionsNode, at: "\(path).connections") {
            var seen: Set<String> = []
            for (index, item) in items.enumerated() {
                let itemPath = "\(path).connections[\(index)]"
                if let name = ConfigReader.rawValue(item, "name"), !seen.insert(name).inserted {
                    reader.report("\(itemPath).name", item, "duplicate connection name '\(name)'")
                }
                if let connection = ConnectionReader(reader: reader).read(item, at: itemPath) { connections.append(connection) }
            }
        }
        guard let name else { return nil }
        return TenantConfig(name: name, keys: keys, connections: connections)
    }
}
