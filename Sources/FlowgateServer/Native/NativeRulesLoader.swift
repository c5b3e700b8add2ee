import FlowgateCore
import FlowgateProviders
import FlowgateRouteFiles
import Foundation
import Yams

/// Reads the `native:` section of every `Routes/<provider>.yaml` at start-up. A table without one, a
/// pattern that cannot be read or a bucket the table does not define stops the gateway before it serves.
///
/// ```yaml
/// native:
///   allow: [/accounts/{account_id}/workflows/**]
///   buckets: {read: default, write: default}   # or a list each: {read: [default, portal], …}
/// ```
enum NativeRulesLoader {
    private struct File: Decodable {
        struct Native: Decodable {
            struct Buckets: Decodable {
                var read: BucketNames
                var write: BucketNames
            }
            /// One bucket name, or several a call draws from at once (as a route's `buckets:`).
            struct BucketNames: Decodable {
                var names: [String]
                init(from decoder: any Decoder) throws {
                    let container = try decoder.singleValueContainer()
                    if let name = try? container.decode(String.self) {
                        names = [name]
                    } else {
                        names = try container.decode([String].self)
                    }
                }
            }
            var allow: [String]
            var buckets: Buckets
        }
        var native: Native?
    }

    /// Every provider's rules, checked against its route table's buckets.
    static func loadAll(routes: [ProviderKind: ProviderRoutes]) throws -> [ProviderKind: NativeRules] {
        var rules: [ProviderKind: NativeRules] = [:]
        var problems: [String] = []
        for kind in ProviderKind.allCases {
            do {
                let buckets = Set(routes[kind]?.buckets.keys.map { $0 } ?? [])
                switch parse(try RouteFiles.routeTable(kind.rawValue), kind: kind, buckets: buckets) {
                case .success(let loaded): rules[kind] = loaded
                case .failure(let problem): problems += problem.problems
                }
            } catch {
                problems.append("\(kind.rawValue).yaml: \(error)")
            }
        }
        guard problems.isEmpty else { throw RouteTableLoader.Problem(problems: problems) }
        return rules
    }

    static func parse(_ data: Data, kind: ProviderKind, buckets: Set<String>) -> Result<NativeRules, RouteTableLoader.Problem> {
        let prefix = "\(kind.rawValue).yaml: native"
        let file: File
        do {
            file = try YAMLDecoder().decode(File.self, from: data)
        } catch {
            return .failure(.init(problems: ["\(prefix): \(error)"]))
        }
        guard let native = file.native else { return .failure(.init(problems: ["\(prefix): missing"])) }
        var problems: [String] = []
        var patterns: [NativeRules.Pattern] = []
        if native.allow.isEmpty { problems.append("\(prefix).allow: must name at least one path") }
        for (index, text) in native.allow.enumerated() {
            switch NativeRules.Pattern.parse(text) {
            case .success(let pattern): patterns.append(pattern)
            case .failure(let problem): problems.append("\(prefix).allow[\(index)]: \(problem.issue)")
            }
        }
        for (name, drawn) in [("read", native.buckets.read.names), ("write", native.buckets.write.names)] {
            if drawn.isEmpty || Set(drawn).count != drawn.count { problems.append("\(prefix).buckets.\(name): must name each bucket once") }
            for bucket in drawn where !buckets.contains(bucket) {
                problems.append("\(prefix).buckets.\(name): '\(bucket)' is not a bucket of this table")
            }
        }
        guard problems.isEmpty else { return .failure(.init(problems: problems)) }
        return .success(
            NativeRules(provider: kind, allow: patterns, readBuckets: native.buckets.read.names, writeBuckets: native.buckets.write.names))
    }
}
