import FlowgateCore
import Foundation
import Yams

/// Walks a YAML tree, collecting every problem with its path instead of stopping at the first.
///
/// Each accessor returns nil after recording a problem, so the loader can keep going and report the
/// whole file at once — the way `check-config` users want it.
final class ConfigReader {
    private(set) var problems: [ConfigProblem] = []
    let references: SecretReferences
    let shield: ReferenceShield

    init(references: SecretReferences, shield: ReferenceShield) {
        self.references = references
        self.shield = shield
    }

    func report(_ path: String, _ node: Node?, _ issue: String) {
        problems.append(ConfigProblem(path: path, line: node?.mark?.line, issue: issue))
    }

    /// A mapping's entries by key. Unknown and duplicate keys are problems; missing required keys too.
    func mapping(_ node: Node, at path: String, required: Set<String> = [], optional: Set<String> = []) -> [String: Node]? {
        guard let mapping = node.mapping else {
            report(path, node, "must be a mapping")
            return nil
        }
        var entries: [String: Node] = [:]
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let keyPath = Self.join(path, key)
            if entries[key] != nil {
                report(keyPath, keyNode, "duplicate key")
            } else if !required.contains(key) && !optional.contains(key) {
                let known = (required.union(optional)).sorted().joined(separator: ", ")
                report(keyPath, keyNode, "unknown key (expected one of: \(known))")
            } else if !Self.isNull(value) {
                entries[key] = value
            }
        }
        for key in required.sorted() where entries[key] == nil {
            report(Self.join(path, key), node, "is required")
        }
        return entries
    }

    func sequence(_ node: Node, at path: String) -> [Node]? {
        guard let sequence = node.sequence else {
            report(path, node, "must be a list")
            return nil
        }
        return Array(sequence)
    }

    /// A scalar with `${env:…}`/`${file:…}` references expanded.
    func string(_ node: Node, at path: String) -> String? {
        guard let scalar = node.scalar else {
            report(path, node, "must be a single value")
            return nil
        }
        do {
            return try references.expand(shield.restore(scalar.string))
        } catch {
            report(path, node, error.message)
            return nil
        }
    }

    func secret(_ node: Node, at path: String) -> Secret? {
        guard let value = string(node, at: path) else { return nil }
        guard !value.isEmpty else {
            report(path, node, "is empty")
            return nil
        }
        return Secret(value)
    }

    func int(_ node: Node, at path: String, in range: ClosedRange<Int>) -> Int? {
        guard let text = string(node, at: path) else { return nil }
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")), range.contains(value) else {
            report(path, node, "must be an integer in \(range.lowerBound)…\(range.upperBound)")
            return nil
        }
        return value
    }

    func number(_ node: Node, at path: String, in range: ClosedRange<Double>) -> Double? {
        guard let text = string(node, at: path) else { return nil }
        guard let value = Double(text), value.isFinite, range.contains(value) else {
            report(path, node, "must be a number in \(range.lowerBound)…\(range.upperBound)")
            return nil
        }
        return value
    }

    /// `true` or `false` (YAML's other spellings of a boolean are refused: one way to write it).
    func bool(_ node: Node, at path: String) -> Bool? {
        guard let text = string(node, at: path) else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default:
            report(path, node, "must be true or false")
            return nil
        }
    }

    /// Seconds as a `Duration`; fractions allowed (`0.5`).
    func seconds(_ node: Node, at path: String, in range: ClosedRange<Double>) -> Duration? {
        number(node, at: path, in: range).map { .milliseconds(Int64(($0 * 1000).rounded())) }
    }

    /// A name usable in ids, paths, metric labels and logs: lowercase letters, digits, `-` and `_`.
    func name(_ node: Node, at path: String) -> String? {
        guard let text = string(node, at: path) else { return nil }
        guard text.range(of: #"^[a-z0-9][a-z0-9_-]{0,62}$"#, options: .regularExpression) != nil else {
            report(path, node, "must be 1–63 characters of a-z, 0-9, '-' and '_', starting with a letter or digit")
            return nil
        }
        return text
    }

    /// A key's scalar text as written, before validation; for cross-entry checks such as duplicates.
    static func rawValue(_ node: Node, _ key: String) -> String? {
        node.mapping?.first { $0.key.string == key }?.value.scalar?.string
    }

    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    static func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }
}
