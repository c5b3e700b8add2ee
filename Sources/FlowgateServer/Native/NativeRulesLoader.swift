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
///   buckets: {read: default, write: default}
/// ```
enum NativeRulesLoader {
    private struct File: Decodable {
        struct Native: Decodable {
            struct Buckets: Decodable {
                var read: String
                var write: String
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
        for (name, bucket) in [("read", native.buckets.read), ("write", native.buckets.write)] where !buckets.contains(bucket) {
            problems.append("\(prefix).buckets.\(name): '\(bucket)' is not a bucket of this table")
        }
        guard problems.isEmpty else { return .failure(.init(problems: problems)) }
        return .success(NativeRules(provider: kind, allow: patterns, readBucket: native.buckets.read, writeBucket: native.buckets.write))
    }
}
