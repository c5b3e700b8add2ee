/// One thing wrong with a config file, located by its path (`tenants[0].connections[2].base_url`).
public struct ConfigProblem: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var issue: String

    public var description: String {
        let location = line.map { " (line \($0))" } ?? ""
        return "\(path.isEmpty ? "<root>" : path)\(location): \(issue)"
    }
}

/// Every problem found in one pass over a config file; thrown by ``ConfigLoader``.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var problems: [ConfigProblem]

    public var description: String {
        (["config has \(problems.count) problem\(problems.count == 1 ? "" : "s"):"] + problems.map { "  \($0)" })
            .joined(separator: "\n")
    }
}
