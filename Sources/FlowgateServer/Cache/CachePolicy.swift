import FlowgateCore
import FlowgateProviders
import Foundation
import Hummingbird

/// Which reads are cached, under which key, for how long, and what invalidates them.
///
/// Keys hold the tenant, so answers are never shared across tenants, and the route with its path
/// and its query in a canonical order. TTLs come from the route tables (`cache_ttl_s` of the
/// operation's upstream route), overridden per connection by `cache: {ttl_s: {…}}`; a fan-out takes
/// the shortest TTL of the connections it asks.
struct CachePolicy: Sendable {
    /// Per tenant, per connection: seconds per canonical read.
    private let ttls: [String: [String: [CanonicalOperation: Int]]]

    init(config: GatewayConfig, routes: [ProviderKind: ProviderRoutes]) {
        var ttls: [String: [String: [CanonicalOperation: Int]]] = [:]
        for tenant in config.tenants {
            for connection in tenant.connections {
                let table = routes[connection.provider]?.routes ?? [:]
                var perOperation: [CanonicalOperation: Int] = [:]
                for operation in CanonicalOperation.allCases where operation.isRead && operation != .downloadFile {
                    // Operations served from another route (Bitrix24's get scans the list, Cloudflare's
                    // timeline reads the instance) take that route's TTL.
                    let route = table[operation.rawValue] ?? table["get_instance"] ?? table["list_instances"]
                    perOperation[operation] = connection.cacheTTLSeconds[operation] ?? route?.cacheTTLSeconds ?? 0
                }
                ttls[tenant.name, default: [:]][connection.name] = perOperation
            }
        }
        self.ttls = ttls
    }

    /// `<tenant>|<path>|<query parameters sorted>`: the same read asked with its parameters in another
    /// order is the same entry. Appended rather than interpolated, and sorted only when there is
    /// something to sort, because it runs on every cached read.
    static func key(tenant: String, path: String, query: String?) -> String {
        var key = tenant
        key.reserveCapacity(tenant.utf8.count + path.utf8.count + (query?.utf8.count ?? 0) + 2)
        key += "|"
        key += path
        key += "|"
        if let query, !query.isEmpty {
            if query.utf8.contains(UInt8(ascii: "&")) {
                key += query.split(separator: "&").sorted().joined(separator: "&")
            } else {
                key += query
            }
        }
        return key
    }

    static func instanceTag(tenant: String, id: CanonicalID) -> String { "instance:\(tenant)/\(id)" }
    static func listsTag(tenant: String, connection: String) -> String { "lists:\(tenant)/\(connection)" }
    /// Every answer that read from the connection: what a reload that changes or removes it drops, and
    /// what a native write (which cannot say which instance it touched) drops.
    static func connectionTag(tenant: String, connection: String) -> String { "connection:\(tenant)/\(connection)" }

    /// The lookup for a read, or nil when it is not cacheable or its request is invalid (the handler
    /// then answers, with its precise error).
    func lookup(_ operation: CanonicalOperation, _ request: Request, _ context: GatewayRequestContext) -> ResponseCache.Lookup? {
        guard let tenant = context.caller?.tenant, let connections = ttls[tenant.name] else { return nil }
        let key = Self.key(tenant: tenant.name, path: request.uri.path, query: request.uri.query)
        let bypass = request.headers[.cacheControl]?.contains("no-cache") ?? false
        switch operation {
        case .listDefinitions, .listInstances:
            var named = Set(request.uri.queryParameters.getAll("connection"))
            if let definition = request.uri.queryParameters.get("definition"), case .success(let id) = CanonicalID.parse(definition) {
                named = [id.connection]
            }
            let selected = named.isEmpty ? Array(connections.keys) : Array(named)
            guard selected.allSatisfy({ connections[$0] != nil }) else { return nil }
            let ttl = selected.compactMap { connections[$0]?[operation] }.min() ?? 0
            var tags = Set(selected.map { Self.listsTag(tenant: tenant.name, connection: $0) })
            tags.formUnion(selected.map { Self.connectionTag(tenant: tenant.name, connection: $0) })
            return .init(key: key, ttl: TimeInterval(ttl), tags: tags, bypass: bypass)
        default:
            guard let id = try? PathParameters.instanceID(context), let ttl = connections[id.connection]?[operation] else { return nil }
            let tags: Set<String> = [
                Self.instanceTag(tenant: tenant.name, id: id), Self.connectionTag(tenant: tenant.name, connection: id.connection),
            ]
            return .init(key: key, ttl: TimeInterval(ttl), tags: tags, bypass: bypass)
        }
    }
}
