/// The answer to `POST /v1/instances/{id}/events/{type}` once the upstream accepted the event.
public struct EventAccepted: Encodable, Sendable, Hashable {
    public var instanceID: CanonicalID
    public var type: String
    public var accepted: Bool { true }

    public init(instanceID: CanonicalID, type: String) {
        self.instanceID = instanceID
        self.type = type
    }

    enum CodingKeys: String, CodingKey {
        case instanceID = "instance_id"
        case type, accepted
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(instanceID, forKey: .instanceID)
        try container.encode(type, forKey: .type)
        try container.encode(accepted, forKey: .accepted)
    }
}

extension EventAccepted: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) throws {
        try writer.object {
            try $0.member("accepted", accepted)
            try $0.member("instance_id", instanceID)
            try $0.member("type", type)
        }
    }
}
