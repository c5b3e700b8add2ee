import Foundation

/// One run of a definition, in the canonical shape every provider maps to.
public struct Instance: Sendable, Hashable {
    public struct DefinitionRef: Sendable, Hashable, Codable {
        public var id: String?
        public var name: String?
        public init(id: String?, name: String?) {
            self.id = id
            self.name = name
        }
    }

    /// The business object an instance runs for (a CRM deal, a Geotareas account…). `id` is always a string.
    public struct EntityRef: Sendable, Hashable, Codable {
        public var type: String
        public var id: String
        public var label: String?
        public init(type: String, id: String, label: String? = nil) {
            self.type = type
            self.id = id
            self.label = label
        }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(type, forKey: .type)
            try container.encode(id, forKey: .id)
            try container.encode(label, forKey: .label)
        }
    }

    public struct StepRef: Sendable, Hashable, Codable {
        public var id: String?
        public var name: String?
        public init(id: String?, name: String?) {
            self.id = id
            self.name = name
        }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
        }
    }

    public var id: CanonicalID
    public var provider: ProviderKind
    public var definition: DefinitionRef
    public var status: InstanceStatus
    public var providerStatus: String?
    public var startedAt: Date?
    public var updatedAt: Date?
    public var endedAt: Date?
    public var startedBy: String?
    public var entity: EntityRef?
    public var currentStep: StepRef?
    public var pendingTasks: Int?
    /// The upstream's own JSON object for this item, emitted only when the caller asked for `include=raw`.
    public var raw: JSONValue?

    public var connection: String { id.connection }

    public init(
        id: CanonicalID, provider: ProviderKind, definition: DefinitionRef, status: InstanceStatus,
        providerStatus: String?, startedAt: Date? = nil, updatedAt: Date? = nil, endedAt: Date? = nil,
        startedBy: String? = nil, entity: EntityRef? = nil, currentStep: StepRef? = nil,
        pendingTasks: Int? = nil, raw: JSONValue? = nil
    ) {
        self.id = id
        self.provider = provider
        self.definition = definition
        self.status = status
        self.providerStatus = providerStatus
        self.startedAt = startedAt
        self.updatedAt = updatedAt
        self.endedAt = endedAt
        self.startedBy = startedBy
        self.entity = entity
        self.currentStep = currentStep
        self.pendingTasks = pendingTasks
        self.raw = raw
    }
}

extension Instance.DefinitionRef {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
    }
}

extension Instance: Codable {
    enum CodingKeys: String, CodingKey {
        case id, connection, provider, definition, status
        case providerStatus = "provider_status"
        case startedAt = "started_at"
        case updatedAt = "updated_at"
        case endedAt = "ended_at"
        case startedBy = "started_by"
        case entity
        case currentStep = "current_step"
        case pendingTasks = "pending_tasks"
        case raw
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(CanonicalID.self, forKey: .id),
            provider: try container.decode(ProviderKind.self, forKey: .provider),
            definition: try container.decode(DefinitionRef.self, forKey: .definition),
            status: try container.decode(InstanceStatus.self, forKey: .status),
            providerStatus: try container.decodeIfPresent(String.self, forKey: .providerStatus),
            startedAt: try container.decodeTimestamp(forKey: .startedAt),
            updatedAt: try container.decodeTimestamp(forKey: .updatedAt),
            endedAt: try container.decodeTimestamp(forKey: .endedAt),
            startedBy: try container.decodeIfPresent(String.self, forKey: .startedBy),
            entity: try container.decodeIfPresent(EntityRef.self, forKey: .entity),
            currentStep: try container.decodeIfPresent(StepRef.self, forKey: .currentStep),
            pendingTasks: try container.decodeIfPresent(Int.self, forKey: .pendingTasks),
            raw: try container.decodeIfPresent(JSONValue.self, forKey: .raw)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        try encodeFields(into: &container)
    }

    /// Shared with ``InstanceDetail``, whose document is an instance plus more fields.
    func encodeFields(into container: inout KeyedEncodingContainer<AnyCodingKey>) throws {
        func key(_ key: CodingKeys) -> AnyCodingKey { AnyCodingKey(key.stringValue) }
        try container.encode(id, forKey: key(.id))
        try container.encode(connection, forKey: key(.connection))
        try container.encode(provider, forKey: key(.provider))
        try container.encode(definition, forKey: key(.definition))
        try container.encode(status, forKey: key(.status))
        try container.encode(providerStatus, forKey: key(.providerStatus))
        try container.encodeTimestamp(startedAt, forKey: key(.startedAt))
        try container.encodeTimestamp(updatedAt, forKey: key(.updatedAt))
        try container.encodeTimestamp(endedAt, forKey: key(.endedAt))
        try container.encode(startedBy, forKey: key(.startedBy))
        try container.encode(entity, forKey: key(.entity))
        try container.encode(currentStep, forKey: key(.currentStep))
        try container.encode(pendingTasks, forKey: key(.pendingTasks))
        if let raw { try container.encode(raw, forKey: key(.raw)) }
    }
}

// The fast path of `encode(to:)` (see ``CanonicalJSONWritable``): the same members, keys in sorted order.
extension Instance: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) throws {
        try writer.object { try writeMembers(to: &$0, detail: nil) }
    }

    /// The members, with those of `detail` (an ``InstanceDetail``'s extra fields) in their sorted places.
    func writeMembers(to writer: inout CanonicalJSONWriter, detail: InstanceDetail?) throws {
        try writer.member("connection", connection)
        try writer.member("current_step", currentStep)
        try writer.member("definition", definition)
        writer.timestamp("ended_at", endedAt)
        try writer.member("entity", entity)
        if let detail {
            try writer.member("error", detail.error)
            try writer.member("files", detail.files)
        }
        try writer.member("id", id)
        if let detail { try writer.member("output", detail.output) }
        try writer.member("pending_tasks", pendingTasks)
        try writer.member("provider", provider)
        try writer.member("provider_status", providerStatus)
        if let raw { try writer.member("raw", raw) }
        writer.timestamp("started_at", startedAt)
        try writer.member("started_by", startedBy)
        try writer.member("status", status)
        if let detail { try writer.member("tasks", detail.tasks) }
        writer.timestamp("updated_at", updatedAt)
        if let detail { try writer.member("variables", detail.variables) }
    }
}

extension Instance.DefinitionRef: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) throws {
        try writer.object {
            try $0.member("id", id)
            try $0.member("name", name)
        }
    }
}

extension Instance.EntityRef: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) throws {
        try writer.object {
            try $0.member("id", id)
            try $0.member("label", label)
            try $0.member("type", type)
        }
    }
}

extension Instance.StepRef: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) throws {
        try writer.object {
            try $0.member("id", id)
            try $0.member("name", name)
        }
    }
}
