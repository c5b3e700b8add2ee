import FlowgateCore
import FlowgateProviders

/// The tenants and their connections, indexed once at start-up for per-request lookups.
public struct TenantDirectory: Sendable {
    public struct Tenant: Sendable {
        public let name: String
        public let connections: [String: ConnectionConfig]
        /// Connection names in config order: fan-outs and listings follow it.
        public let connectionOrder: [String]

        /// A connection of this tenant; another tenant's connection is as unknown as a missing one.
        public func connection(named name: String) throws(GatewayError) -> ConnectionConfig {
            guard let connection = connections[name] else {
                throw GatewayError(.notFound, "Unknown connection '\(name)'", connection: name)
            }
            return connection
        }
    }

    private struct KeyEntry: Sendable {
        let hash: [UInt8]
        let tenant: Tenant
        let keyID: String
        let scopes: Set<KeyConfig.Scope>
        let rate: KeyConfig.Rate?
    }

    private let keys: [KeyEntry]

    public init(config: GatewayConfig) {
        var keys: [KeyEntry] = []
        for tenantConfig in config.tenants {
            let tenant = Tenant(
                name: tenantConfig.name,
                connections: Dictionary(uniqueKeysWithValues: tenantConfig.connections.map { ($0.name, $0) }),
                connectionOrder: tenantConfig.connections.map(\.name)
            )
            keys += tenantConfig.keys.map { KeyEntry(hash: $0.hash, tenant: tenant, keyID: $0.id, scopes: $0.scopes, rate: $0.rate) }
        }
        self.keys = keys
    }

    /// The caller a presented key belongs to, or nil.
    ///
    /// Every stored hash is compared, each in constant time, so the time taken says nothing about
    /// which key or how much of it matched.
    public func caller(presenting key: some StringProtocol) -> Caller? {
        let digest = KeyHash.digest(of: key)
        var match: KeyEntry?
        for entry in keys where KeyHash.constantTimeEquals(entry.hash, digest) {
            match = entry
        }
        return match.map { Caller(tenant: $0.tenant, keyID: $0.keyID, scopes: $0.scopes, rate: $0.rate) }
    }
}
