import FlowgateCore
import FlowgateProviders
import FlowgateRouteFiles
import Foundation
import Yams

/// Reads and checks the provider route tables (`Routes/<provider>.yaml`) at start-up. A table that
/// lacks a route its adapter calls, or names an unknown bucket, stops the gateway before it serves.
enum RouteTableLoader {
    struct Problem: Error, CustomStringConvertible {
        var problems: [String]
        var description: String { "route tables: " + problems.joined(separator: "; ") }
    }

    private struct File: Decodable {
        struct Route: Decodable {
            var method: String
            var path: String
            /// One bucket (`bucket: reads`) or several drawn from at once (`buckets: [default, portal]`).
            var bucket: String?
            var buckets: [String]?
            var cacheTTLSeconds: Int?

            enum CodingKeys: String, CodingKey {
                case method, path, bucket, buckets
                case cacheTTLSeconds = "cache_ttl_s"
            }
        }

        /// `{rate_per_s, burst}` or `{window: {limit, seconds}}`, and optionally `keyed_by`.
        struct Bucket: Decodable {
            struct Window: Decodable {
                var limit: Int
                var seconds: Double
            }

            var ratePerSecond: Double?
            var burst: Int?
            var window: Window?
            var keyedBy: String?

            enum CodingKeys: String, CodingKey {
                case ratePerSecond = "rate_per_s"
                case burst, window
                case keyedBy = "keyed_by"
            }
        }

        var provider: String
        var buckets: [String: Bucket]
        var routes: [String: Route]
    }

    static let methods: Set<String> = ["GET", "POST", "PUT", "PATCH", "DELETE"]

    /// Every provider's table, checked against its adapter's needs.
    static func loadAll() throws -> [ProviderKind: ProviderRoutes] {
        var tables: [ProviderKind: ProviderRoutes] = [:]
        var problems: [String] = []
        for kind in ProviderKind.allCases {
            do {
                tables[kind] = try parse(RouteFiles.routeTable(kind.rawValue), kind: kind)
            } catch let problem as Problem {
                problems += problem.problems
            } catch {
                problems.append("\(kind.rawValue).yaml: \(error)")
            }
        }
        guard problems.isEmpty else { throw Problem(problems: problems) }
        return tables
    }

    static func parse(_ data: Data, kind: ProviderKind) throws -> ProviderRoutes {
        let file = try YAMLDecoder().decode(File.self, from: data)
        var problems: [String] = []
        if file.provider != kind.rawValue { problems.append("provider: expected \(kind.rawValue)") }
        for (name, route) in file.routes.sorted(by: { $0.key < $1.key }) {
            if !methods.contains(route.method) { problems.append("routes.\(name).method: \(route.method) is not one of \(methods.sorted())") }
            if !route.path.hasPrefix("/") { problems.append("routes.\(name).path: must start with /") }
            if let ttl = route.cacheTTLSeconds, ttl < 0 { problems.append("routes.\(name).cache_ttl_s: must be >= 0") }
        }
        var buckets: [String: BucketSpec] = [:]
        for (name, bucket) in file.buckets.sorted(by: { $0.key < $1.key }) {
            switch spec(bucket) {
            case .success(let spec): buckets[name] = spec
            case .failure(let problem): problems.append("buckets.\(name): \(problem.text)")
            }
        }
        var routes: [String: ProviderRoutes.Route] = [:]
        for (name, route) in file.routes {
            switch (route.bucket, route.buckets) {
            case (let bucket?, nil):
                routes[name] = .init(method: route.method, path: route.path, bucket: bucket, cacheTTLSeconds: route.cacheTTLSeconds ?? 0)
            case (nil, let names?):
                routes[name] = .init(method: route.method, path: route.path, buckets: names, cacheTTLSeconds: route.cacheTTLSeconds ?? 0)
            default: problems.append("routes.\(name): name its bucket with exactly one of bucket: or buckets:")
            }
        }
        let table = ProviderRoutes(provider: kind, routes: routes, buckets: buckets)
        problems += table.problems(requiring: ProviderAdapters.requiredRoutes(kind))
        guard problems.isEmpty else { throw Problem(problems: problems.map { "\(kind.rawValue).yaml: \($0)" }) }
        return table
    }

    private struct Words: Error {
        var text: String
    }

    /// A bucket as the table writes it, checked.
    private static func spec(_ bucket: File.Bucket) -> Result<BucketSpec, Words> {
        let shape: BucketSpec.Shape
        switch (bucket.ratePerSecond, bucket.burst, bucket.window) {
        case (let rate?, let burst?, nil): shape = .rate(perSecond: rate, burst: burst)
        case (nil, nil, let window?): shape = .window(limit: window.limit, seconds: window.seconds)
        default: return .failure(Words(text: "either {rate_per_s, burst} or {window: {limit, seconds}}"))
        }
        if let problem = BucketSpec.problem(shape) { return .failure(Words(text: problem)) }
        guard let scope = BucketSpec.Scope(rawValue: bucket.keyedBy ?? "credential") else {
            return .failure(Words(text: "keyed_by must be one of \(BucketSpec.Scope.allCases.map(\.rawValue))"))
        }
        return .success(BucketSpec(shape, keyedBy: scope))
    }
}
