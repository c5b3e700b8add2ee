import Foundation

/// A human task of an instance (an approval, a form to fill). Named to stay clear of Swift's `Task`.
public struct WorkflowTask: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, Codable {
        case pending, completed, cancelled, unknown
    }

    public var id: String
    public var name: String?
    public var status: Status
    public var assignee: String?
    public var createdAt: Date?
    public var completedAt: Date?

    public init(id: String, name: String?, status: Status, assignee: String? = nil, createdAt: Date? = nil, completedAt: Date? = nil) {
        self.id = id
        self.name = name
        self.status = status
        self.assignee = assignee
        self.createdAt = createdAt
        self.completedAt = completedAt
    }
}

extension WorkflowTask: Codable {
    enum CodingKeys: String, CodingKey {
        case id, name, status, assignee
        case createdAt = "created_at"
        case completedAt = "completed_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(String.self, forKey: .id),
            name: try container.decodeIfPresent(String.self, forKey: .name),
            status: try container.decode(Status.self, forKey: .status),
            assignee: try container.decodeIfPresent(String.self, forKey: .assignee),
            createdAt: try container.decodeTimestamp(forKey: .createdAt),
            completedAt: try container.decodeTimestamp(forKey: .completedAt)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(status, forKey: .status)
        try container.encode(assignee, forKey: .assignee)
        try container.encodeTimestamp(createdAt, forKey: .createdAt)
        try container.encodeTimestamp(completedAt, forKey: .completedAt)
    }
}

extension WorkflowTask.Status: CanonicalJSONWritable {}

extension WorkflowTask: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) throws {
        try writer.object {
            try $0.member("assignee", assignee)
            $0.timestamp("completed_at", completedAt)
            $0.timestamp("created_at", createdAt)
            try $0.member("id", id)
            try $0.member("name", name)
            try $0.member("status", status)
        }
    }
}
