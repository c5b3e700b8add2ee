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
            var bucket: String
            var cacheTTLSeconds: Int?
            enum CodingKeys: String, CodingKey {
                case method, path, bucket
                case cacheTTLSeconds = "cache_ttl_s"
            }
        }
        struct Bucket: Decodable {
            var ratePerSecond: Double
            var burst: Int
            enum CodingKeys: String, CodingKey {
                case ratePerSecond = "rate_per_s"
                case burst
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
        for (name, bucket) in file.buckets.sorted(by: { $0.key < $1.key }) where !(bucket.ratePerSecond > 0) || bucket.burst < 1 {
            problems.append("buckets.\(name): rate_per_s must be > 0 and burst >= 1")
        }
        let routes = ProviderRoutes(
            provider: kind,
            routes: file.routes.mapValues {
                .init(method: $0.method, path: $0.path, bucket: $0.bucket, cacheTTLSeconds: $0.cacheTTLSeconds ?? 0)
            },
            buckets: file.buckets.mapValues { .init(ratePerSecond: $0.ratePerSecond, burst: $0.burst) }
        )
        problems += routes.problems(requiring: ProviderAdapters.requiredRoutes(kind))
        guard problems.isEmpty else { throw Problem(problems: problems.map { "\(kind.rawValue).yaml: \($0)" }) }
        return routes
    }
}
