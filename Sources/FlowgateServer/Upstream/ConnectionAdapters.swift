import Crypto
import FlowgateCore
import FlowgateProviders
import Foundation
import Logging

/// Every connection's adapter and transport, built once at start-up: adapters keep per-connection
/// state (Geotareas' login session) for the life of the process.
struct ConnectionAdapters: Sendable {
    struct Endpoint: Sendable {
        let adapter: any ProviderAdapter
        let transport: ConnectionTransport
        /// Whose budget each bucket is (from the route table), for `GET /v1/connections`.
        let scopes: [String: BucketSpec.Scope]
    }

    /// Answers above this are refused as a broken contract; files stream and are not bounded by it.
    static let maxAnswerBytes = 8 * 1024 * 1024

    private let endpoints: [String: [String: Endpoint]]

    init(
        config: GatewayConfig, routes: [ProviderKind: ProviderRoutes], client: any UpstreamHTTP, limits: any RateLimitStore,
        breakers: any BreakerStore, metrics: GatewayMetrics, clock: any GatewayClock, logger: Logger
    ) {
        var endpoints: [String: [String: Endpoint]] = [:]
        let server = config.server
        let breakerSettings = CircuitBreaker.Settings(failureThreshold: server.breakerFailures, cooldown: server.breakerCooldown.seconds)
        for tenant in config.tenants {
            for connection in tenant.connections {
                let table = routes[connection.provider] ?? ProviderRoutes(provider: connection.provider, routes: [:], buckets: [:])
                let owner = ConnectionLabels(tenant: tenant.name, connection: connection.name, provider: connection.provider)
                let buckets = Self.buckets(connection, table: table, margin: server.windowMargin.seconds)
                for (name, draw) in buckets { metrics.setBudgetLimit(owner, bucket: name, limit: draw.shape.limit) }
                let transport = ConnectionTransport(
                    owner: owner,
                    deadline: DeadlineStage(callTimeout: server.upstreamTimeout, clock: clock),
                    retry: RetryStage(retries: server.upstreamRetries, clock: clock),
                    bucket: BucketStage(
                        owner: owner, buckets: buckets, store: limits, maxWait: server.rateLimitMaxWait, clock: clock, metrics: metrics
                    ),
                    breaker: BreakerStage(owner: owner, store: breakers, settings: breakerSettings, metrics: metrics),
                    client: ClientStage(
                        owner: owner, baseURL: connection.baseURL, client: client, maxAnswerBytes: Self.maxAnswerBytes, clock: clock, metrics: metrics
                    ),
                    fallbackLogger: logger
                )
                let providerConnection = ProviderConnection(
                    name: connection.name, kind: connection.provider, credentials: connection.credentials,
                    tenantHost: connection.tenantHost, timezone: connection.timezone, accountID: connection.accountID, routes: table
                )
                endpoints[tenant.name, default: [:]][connection.name] = Endpoint(
                    adapter: ProviderAdapters.make(providerConnection, transport: transport), transport: transport,
                    scopes: table.buckets.mapValues(\.keyedBy)
                )
            }
        }
        self.endpoints = endpoints
    }

    /// The connection's buckets: the route table's, with the connection's `limits:` over them, each keyed
    /// by whose budget it is.
    static func buckets(_ connection: ConnectionConfig, table: ProviderRoutes, margin: TimeInterval) -> [String: BucketDraw] {
        table.buckets.reduce(into: [:]) { buckets, entry in
            let (name, spec) = entry
            let shape = BucketShape(connection.limits[name] ?? spec.shape, margin: margin)
            buckets[name] = BucketDraw(key: BucketKey(credential: budgetOwner(connection, spec.keyedBy), bucket: name), shape: shape)
        }
    }

    /// Whose budget a bucket is, as a digest: the credential's or the portal's.
    static func budgetOwner(_ connection: ConnectionConfig, _ scope: BucketSpec.Scope) -> String {
        switch scope {
        case .credential: credentialDigest(connection)
        case .portal: portalDigest(connection)
        }
    }

    /// Who spends a bucket: the provider, the upstream origin and the credential values. Connections
    /// sharing a token share its budget (the upstream counts them together); anyone else's is apart.
    static func credentialDigest(_ connection: ConnectionConfig) -> String {
        let secrets = connection.credentials.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.value)" }
        return digest([connection.provider.rawValue, origin(connection)] + secrets)
    }

    /// The portal a connection's calls land on (its `portal:`, else its base URL's origin): every
    /// connection on one portal shares the portal's budget, whatever its key or tenant.
    static func portalDigest(_ connection: ConnectionConfig) -> String {
        digest([connection.provider.rawValue, "portal", connection.portal?.lowercased() ?? origin(connection)])
    }

    private static func origin(_ connection: ConnectionConfig) -> String {
        URLComponents(string: connection.baseURL).map { "\($0.scheme ?? "")://\($0.host ?? ""):\($0.port ?? 0)" } ?? connection.baseURL
    }

    private static func digest(_ parts: [String]) -> String {
        SHA256.hash(data: Data(parts.joined(separator: "\u{0}").utf8)).prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    /// The endpoint of one of the tenant's connections (the caller resolved the name already).
    func endpoint(tenant: String, connection: String) throws -> Endpoint {
        guard let endpoint = endpoints[tenant]?[connection] else {
            throw GatewayError(.notFound, "Unknown connection '\(connection)'", connection: connection)
        }
        return endpoint
    }
}
