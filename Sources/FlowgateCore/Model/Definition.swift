/// A workflow template, process definition or (Cloudflare) workflow that instances are started from.
public struct Definition: Sendable, Hashable {
    public var id: CanonicalID
    public var provider: ProviderKind
    public var name: String?
    public var version: String?
    public var description: String?
    /// Whether the canonical start can start it (false for Workingflow processes with a start form…).
    public var startable: Bool
    public var entityType: String?
    public var status: String?
    public var raw: JSONValue?

    public var connection: String { id.connection }

    public init(
        id: CanonicalID, provider: ProviderKind, name: String?, version: String? = nil, description: String? = nil,
        startable: Bool, entityType: String? = nil, status: String? = nil, raw: JSONValue? = nil
    ) {
        self.id = id
        self.provider = provider
        self.name = name
        self.version = version
        self.description = description
        self.startable = startable
        self.entityType = entityType
        self.status = status
        self.raw = raw
    }
}

extension Definition: Codable {
    enum CodingKeys: String, CodingKey {
        case id, connection, provider, name, version, description, startable
        case entityType = "entity_type"
        case status, raw
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(CanonicalID.self, forKey: .id),
            provider: try container.decode(ProviderKind.self, forKey: .provider),
            name: try container.decodeIfPresent(String.self, forKey: .name),
            version: try container.decodeIfPresent(String.self, forKey: .version),
            description: try container.decodeIfPresent(String.self, forKey: .description),
            startable: try container.decode(Bool.self, forKey: .startable),
            entityType: try container.decodeIfPresent(String.self, forKey: .entityType),
            status: try container.decodeIfPresent(String.self, forKey: .status),
            raw: try container.decodeIfPresent(JSONValue.self, forKey: .raw)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(connection, forKey: .connection)
        try container.encode(provider, forKey: .provider)
        try container.encode(name, forKey: .name)
        try container.encode(version, forKey: .version)
        try container.encode(description, forKey: .description)
        try container.encode(startable, forKey: .startable)
        try container.encode(entityType, forKey: .entityType)
        try container.encode(status, forKey: .status)
        if let raw { try container.encode(raw, forKey: .raw) }
    }
}

extension Definition: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) throws {
        try writer.object {
            try $0.member("connection", connection)
            try $0.member("description", description)
            try $0.member("entity_type", entityType)
            try $0.member("id", id)
            try $0.member("name", name)
            try $0.member("provider", provider)
            if let raw { try $0.member("raw", raw) }
            try $0.member("startable", startable)
            try $0.member("status", status)
            try $0.member("version", version)
        }
    }
}
