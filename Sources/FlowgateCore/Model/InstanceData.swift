/// What an instance captured: its input, variables, output, and data per step.
public struct InstanceData: Sendable, Hashable {
    public struct StepData: Sendable, Hashable, Codable {
        public var step: Instance.StepRef
        public var data: [String: JSONValue]
        public init(step: Instance.StepRef, data: [String: JSONValue]) {
            self.step = step
            self.data = data
        }
    }

    public var id: CanonicalID
    public var input: [String: JSONValue]?
    public var variables: [String: JSONValue]?
    public var output: JSONValue?
    public var steps: [StepData]

    public init(
        id: CanonicalID, input: [String: JSONValue]? = nil, variables: [String: JSONValue]? = nil,
        output: JSONValue? = nil, steps: [StepData] = []
    ) {
        self.id = id
        self.input = input
        self.variables = variables
        self.output = output
        self.steps = steps
    }
}

extension InstanceData: Codable {
    enum CodingKeys: String, CodingKey {
        case id, input, variables, output, steps
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(input, forKey: .input)
        try container.encode(variables, forKey: .variables)
        try container.encode(output, forKey: .output)
        try container.encode(steps, forKey: .steps)
    }
}

extension InstanceData: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) throws {
        try writer.object {
            try $0.member("id", id)
            try $0.member("input", input)
            try $0.member("output", output)
            try $0.member("steps", steps)
            try $0.member("variables", variables)
        }
    }
}

extension InstanceData.StepData: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) throws {
        try writer.object {
            try $0.member("data", data)
            try $0.member("step", step)
        }
    }
}
