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
///
/// Made once per config generation, with everything a read needs from a connection in one value
/// (``Connection``): a request looks its connection up once.
struct CachePolicy: Sendable {
    /// One connection as cached reads see it: its endpoint, TTL per read, and its tags.
    struct Connection: Sendable {
        let endpoint: ConnectionAdapters.Endpoint
        /// Seconds per canonical read.
        let ttls: [CanonicalOperation: Int]
        let listsTag: String
        let connectionTag: String

        var config: ConnectionConfig { endpoint.origin.connection }
    }

    /// Per tenant, per connection.
    private let connections: [String: [String: Connection]]

    init(config: GatewayConfig, routes: [ProviderKind: ProviderRoutes], adapters: ConnectionAdapters) {
        var connections: [String: [String: Connection]] = [:]
        for tenant in config.tenants {
            for connection in tenant.connections {
                guard let endpoint = adapters.all[tenant.name]?[connection.name] else { continue }
                let table = routes[connection.provider]?.routes ?? [:]
                var ttls: [CanonicalOperation: Int] = [:]
                for operation in CanonicalOperation.allCases where operation.isRead && operation != .downloadFile {
                    // Operations served from another route (Bitrix24's get scans the list, Cloudflare's
                    // timeline reads the instance) take that route's TTL.
                    let route = table[operation.rawValue] ?? table["get_instance"] ?? table["list_instances"]
                    ttls[operation] = connection.cacheTTLSeconds[operation] ?? route?.cacheTTLSeconds ?? 0
                }
                connections[tenant.name, default: [:]][connection.name] = Connection(
                    endpoint: endpoint, ttls: ttls, listsTag: Self.listsTag(tenant: tenant.name, connection: connection.name),
                    connectionTag: Self.connectionTag(tenant: tenant.name, connection: connection.name)
                )
            }
        }
        self.connections = connections
    }

    /// One of the tenant's connections; another tenant's is as unknown as a missing one (`404`).
    func connection(tenant: String, named name: String) throws(GatewayError) -> Connection {
        guard let connection = connections[tenant]?[name] else {
            throw GatewayError(.notFound, "Unknown connection '\(name)'", connection: name)
        }
        return connection
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

    /// The lookup of a read of one instance (its id and connection already resolved).
    func instanceLookup(
        _ operation: CanonicalOperation, tenant: String, id: CanonicalID, connection: Connection, request: Request
    ) -> ResponseCache.Lookup? {
        guard let ttl = connection.ttls[operation] else { return nil }
        return .init(
            key: Self.key(tenant: tenant, path: request.uri.path, query: request.uri.query), ttl: TimeInterval(ttl),
            tags: [Self.instanceTag(tenant: tenant, id: id), connection.connectionTag], bypass: Self.bypasses(request)
        )
    }

    /// The lookup of a list, or nil when it names a connection the tenant lacks (the handler then
    /// answers, with its precise error).
    func listLookup(_ operation: CanonicalOperation, tenant: String, request: Request) -> ResponseCache.Lookup? {
        guard let tenantConnections = connections[tenant] else { return nil }
        let query = request.uri.queryParameters
        var named = Set(query.getAll("connection"))
        if let definition = query.get("definition"), case .success(let id) = CanonicalID.parse(definition) {
            named = [id.connection]
        }
        var selected: [Connection] = []
        if named.isEmpty {
            selected = Array(tenantConnections.values)
        } else {
            for name in named {
                guard let connection = tenantConnections[name] else { return nil }
                selected.append(connection)
            }
        }
        let ttl = selected.compactMap { $0.ttls[operation] }.min() ?? 0
        var tags = Set(selected.map(\.listsTag))
        tags.formUnion(selected.map(\.connectionTag))
        return .init(
            key: Self.key(tenant: tenant, path: request.uri.path, query: request.uri.query), ttl: TimeInterval(ttl), tags: tags,
            bypass: Self.bypasses(request)
        )
    }

    /// `Cache-Control: no-cache` from the client.
    static func bypasses(_ request: Request) -> Bool {
        request.headers[.cacheControl]?.contains("no-cache") ?? false
    }
}
