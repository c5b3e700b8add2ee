import Foundation

/// One entry of an instance's history, oldest first in a timeline.
public struct TimelineEvent: Sendable, Hashable {
    public var type: String
    public var at: Date?
    public var actor: String?
    public var step: String?
    public var details: [String: JSONValue]?

    public init(type: String, at: Date?, actor: String? = nil, step: String? = nil, details: [String: JSONValue]? = nil) {
        self.type = type
        self.at = at
        self.actor = actor
        self.step = step
        self.details = details
    }
}

extension TimelineEvent: Codable {
    enum CodingKeys: String, CodingKey {
        case type, at, actor, step, details
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            type: try container.decode(String.self, forKey: .type),
            at: try container.decodeTimestamp(forKey: .at),
            actor: try container.decodeIfPresent(String.self, forKey: .actor),
            step: try container.decodeIfPresent(String.self, forKey: .step),
            details: try container.decodeIfPresent([String: JSONValue].self, forKey: .details)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encodeTimestamp(at, forKey: .at)
        try container.encode(actor, forKey: .actor)
        try container.encode(step, forKey: .step)
        try container.encode(details, forKey: .details)
    }
}

extension TimelineEvent: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) throws {
        try writer.object {
            try $0.member("actor", actor)
            $0.timestamp("at", at)
            try $0.member("details", details)
            try $0.member("step", step)
            try $0.member("type", type)
        }
    }
}
