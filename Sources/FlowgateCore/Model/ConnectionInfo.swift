/// What a caller may know about one of its tenant's connections: never its URL or credentials.
public struct ConnectionInfo: Sendable, Hashable, Codable {
    public enum CircuitState: String, Sendable, Hashable, Codable {
        case closed
        case open
        case halfOpen = "half_open"
    }

    public struct Health: Sendable, Hashable, Codable {
        public var circuit: CircuitState
        public init(circuit: CircuitState) { self.circuit = circuit }
    }

    public var name: String
    public var provider: ProviderKind
    /// Sorted, so the answer's bytes are stable.
    public var capabilities: [CanonicalOperation]
    public var health: Health
    /// The upstream buckets its calls draw from, by name.
    public var limits: [BucketInfo]

    public init(name: String, provider: ProviderKind, capabilities: Set<CanonicalOperation>, health: Health, limits: [BucketInfo] = []) {
        self.name = name
        self.provider = provider
        self.capabilities = CanonicalOperation.allCases.filter(capabilities.contains)
        self.health = health
        self.limits = limits.sorted { $0.bucket < $1.bucket }
    }
}
