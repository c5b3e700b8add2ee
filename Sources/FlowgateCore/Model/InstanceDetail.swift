import Foundation

/// An instance with what only its detail view knows: tasks, variables, output, error and files.
public struct InstanceDetail: Sendable, Hashable {
    public struct Failure: Sendable, Hashable, Codable {
        public var code: String?
        public var message: String?
        public init(code: String?, message: String?) {
            self.code = code
            self.message = message
        }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(code, forKey: .code)
            try container.encode(message, forKey: .message)
        }
    }

    public var instance: Instance
    public var tasks: [WorkflowTask]
    public var variables: [String: JSONValue]?
    public var output: JSONValue?
    public var error: Failure?
    /// Files the instance produced; nil where the provider has no files at all.
    public var files: [FileRef]?

    public init(
        instance: Instance, tasks: [WorkflowTask] = [], variables: [String: JSONValue]? = nil,
        output: JSONValue? = nil, error: Failure? = nil, files: [FileRef]? = nil
    ) {
        self.instance = instance
        self.tasks = tasks
        self.variables = variables
        self.output = output
        self.error = error
        self.files = files
    }
}

extension InstanceDetail: Codable {
    private enum CodingKeys: String, CodingKey {
        case tasks, variables, output, error, files
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            instance: try Instance(from: decoder),
            tasks: try container.decode([WorkflowTask].self, forKey: .tasks),
            variables: try container.decodeIfPresent([String: JSONValue].self, forKey: .variables),
            output: try container.decodeIfPresent(JSONValue.self, forKey: .output),
            error: try container.decodeIfPresent(Failure.self, forKey: .error),
            files: try container.decodeIfPresent([FileRef].self, forKey: .files)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        try instance.encodeFields(into: &container)
        try container.encode(tasks, forKey: AnyCodingKey("tasks"))
        try container.encode(variables, forKey: AnyCodingKey("variables"))
        try container.encode(output, forKey: AnyCodingKey("output"))
        try container.encode(error, forKey: AnyCodingKey("error"))
        try container.encode(files, forKey: AnyCodingKey("files"))
    }
}

extension InstanceDetail: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) throws {
        try writer.object { try instance.writeMembers(to: &$0, detail: self) }
    }
}

extension InstanceDetail.Failure: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) throws {
        try writer.object {
            try $0.member("code", code)
            try $0.member("message", message)
        }
    }
}
