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
        /// Built once: every request with this key gets this value.
        let caller: Caller
    }

    private let keys: [KeyEntry]
    private let recentlyVerified: VerifiedKeyCache

    /// `verifiedKeyCapacity`: how many distinct keys skip hashing when seen again (``VerifiedKeyCache``).
    public init(config: GatewayConfig, verifiedKeyCapacity: Int = 1024) {
        var keys: [KeyEntry] = []
        for tenantConfig in config.tenants {
            let tenant = Tenant(
                name: tenantConfig.name,
                connections: Dictionary(uniqueKeysWithValues: tenantConfig.connections.map { ($0.name, $0) }),
                connectionOrder: tenantConfig.connections.map(\.name)
            )
            keys += tenantConfig.keys.map { key in
                KeyEntry(hash: key.hash, caller: Caller(tenant: tenant, keyID: key.id, scopes: key.scopes, rate: key.rate))
            }
        }
        self.keys = keys
        self.recentlyVerified = VerifiedKeyCache(capacity: verifiedKeyCapacity)
    }

    /// The caller a presented key belongs to, or nil.
    ///
    /// A key verified recently is found by ``VerifiedKeyCache``; any other is hashed and every stored
    /// hash is compared, each in constant time, so the time taken says nothing about which key or how
    /// much of it matched.
    public func caller(presenting key: some StringProtocol) -> Caller? {
        if let caller = recentlyVerified.caller(presenting: key) { return caller }
        let digest = KeyHash.digest(of: key)
        var match: KeyEntry?
        for entry in keys where KeyHash.constantTimeEquals(entry.hash, digest) {
            match = entry
        }
        guard let caller = match?.caller else { return nil }
        recentlyVerified.remember(key, as: caller)
        return caller
    }

    /// The caller of a key verified recently (``VerifiedKeyCache``), or nil — never hashing: the hit
    /// path below the router takes only keys the router has verified, and leaves any other to it.
    func verifiedCaller(presenting key: some StringProtocol) -> Caller? {
        recentlyVerified.caller(presenting: key)
    }

    /// Keys currently held by the verified-key cache (for tests).
    var verifiedKeyCount: Int { recentlyVerified.count }
}
