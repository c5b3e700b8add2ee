import FlowgateCore
import FlowgateProviders

/// One provider's native passthrough rules, from the `native:` section of `Routes/<provider>.yaml`:
/// the only paths a native call may reach, and the buckets of paths the route table does not name.
struct NativeRules: Sendable {
    /// One allowed path pattern, matched segment by segment against the decoded path.
    struct Pattern: Sendable, Hashable, CustomStringConvertible {
        enum Segment: Sendable, Hashable {
            case literal(String)
            /// `{account_id}`: the connection's own account and no other.
            case account
            /// `*`: any one segment.
            case any
            /// `**`: any rest of the path, including none (last only).
            case rest
        }

        let segments: [Segment]
        /// As written in the route table: how errors name the rule.
        let description: String

        /// Reads a pattern, or says what is wrong with it.
        static func parse(_ text: String) -> Result<Pattern, PatternProblem> {
            guard text.hasPrefix("/") else { return .failure(.init("must start with /")) }
            var segments: [Segment] = []
            let parts = text.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
            for (index, part) in parts.enumerated() {
                switch part {
                case "": return .failure(.init("has an empty segment"))
                case "**":
                    guard index == parts.count - 1 else { return .failure(.init("** must be the last segment")) }
                    segments.append(.rest)
                case "*": segments.append(.any)
                case "{account_id}": segments.append(.account)
                default:
                    guard !part.contains("{"), !part.contains("*"), !part.contains("%"), part != ".", part != ".." else {
                        return .failure(.init("segment '\(part)' is neither a literal, *, ** nor {account_id}"))
                    }
                    segments.append(.literal(String(part)))
                }
            }
            return .success(Pattern(segments: segments, description: text))
        }

        /// Whether the decoded `path` segments match, `{account_id}` standing for `account`.
        func matches(_ path: [String], account: String?) -> Bool {
            var index = 0
            for segment in segments {
                if segment == .rest { return true }
                guard index < path.count else { return false }
                switch segment {
                case .literal(let text): guard path[index] == text else { return false }
                case .account: guard let account, path[index] == account else { return false }
                case .any, .rest: break
                }
                index += 1
            }
            return index == path.count
        }

        /// Whether the path has this pattern's shape, whatever account it names: how an error raised
        /// before the caller's connection is known still picks the envelope its client expects.
        func hasShape(of path: [String]) -> Bool {
            Pattern(segments: segments.map { $0 == .account ? .any : $0 }, description: description).matches(path, account: nil)
        }
    }

    struct PatternProblem: Error, Sendable {
        let issue: String
        init(_ issue: String) { self.issue = issue }
    }

    let provider: ProviderKind
    let allow: [Pattern]
    /// Buckets for calls on paths the route table names no route for: reads (GET, HEAD) and writes.
    let readBuckets: [String]
    let writeBuckets: [String]

    /// The first pattern the path matches, or nil: the call must not leave the gateway.
    func allowed(_ path: [String], account: String?) -> Pattern? {
        allow.first { $0.matches(path, account: account) }
    }
}
