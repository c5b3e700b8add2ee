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
        /// What it was built from. A reload keeps the endpoint — its Geotareas login session, the
        /// Bitrix24 templates path it learned, its breaker — while this stays the same.
        let origin: EndpointOrigin
    }

    /// Everything an endpoint is built from: the connection's config and the server settings its
    /// transport stages read.
    struct EndpointOrigin: Sendable, Hashable {
        var connection: ConnectionConfig
        var upstreamTimeout: Duration
        var retries: Int
        var breakerFailures: Int
        var breakerCooldown: Duration
        var rateLimitMaxWait: Duration
        var windowMargin: Duration

        init(_ connection: ConnectionConfig, _ server: ServerSettings) {
            self.connection = connection
            self.upstreamTimeout = server.upstreamTimeout
            self.retries = server.upstreamRetries
            self.breakerFailures = server.breakerFailures
            self.breakerCooldown = server.breakerCooldown
            self.rateLimitMaxWait = server.rateLimitMaxWait
            self.windowMargin = server.windowMargin
        }

        /// Short and stable across processes (replicas must agree): SHA-256 of every field, secrets
        /// included. A test checks that each stored property of ``ConnectionConfig`` is covered.
        var digest: String {
            var text =
                "\(connection.name)\u{0}\(connection.provider.rawValue)\u{0}\(connection.baseURL)\u{0}\(connection.tenantHost ?? "")\u{0}\(connection.timezone.identifier)"
            text +=
                "\u{0}\(connection.accountID ?? "")\u{0}\(connection.portal ?? "")\u{0}\(connection.allowForceCancel)\u{0}\(connection.nativeCacheTTLSeconds.map(String.init) ?? "")"
            text += connection.credentials.sorted { $0.key < $1.key }.map { "\u{0}\($0.key)=\($0.value.value)" }.joined()
            text += connection.limits.sorted { $0.key < $1.key }.map { "\u{0}\($0.key)=\($0.value)" }.joined()
            text += connection.cacheTTLSeconds.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\u{0}\($0.key.rawValue)=\($0.value)" }.joined()
            text += "\u{0}\(upstreamTimeout)\u{0}\(retries)\u{0}\(breakerFailures)\u{0}\(breakerCooldown)\u{0}\(rateLimitMaxWait)\u{0}\(windowMargin)"
            return HexDigits.lowercase(SHA256.hash(data: Data(text.utf8)).prefix(6))
        }
    }

    /// Answers above this are refused as a broken contract; files stream and are not bounded by it.
    static let maxAnswerBytes = 8 * 1024 * 1024

    private let endpoints: [String: [String: Endpoint]]

    /// - Parameter previous: the endpoints of the config being replaced (a reload): each connection whose
    ///   ``EndpointOrigin`` is unchanged keeps its endpoint, state and all.
    init(
        config: GatewayConfig, routes: [ProviderKind: ProviderRoutes], client: any UpstreamHTTP, limits: any RateLimitStore,
        breakers: any BreakerStore, metrics: GatewayMetrics, clock: any GatewayClock, logger: Logger, reusing previous: ConnectionAdapters? = nil
    ) {
        var endpoints: [String: [String: Endpoint]] = [:]
        let server = config.server
        let breakerSettings = CircuitBreaker.Settings(failureThreshold: server.breakerFailures, cooldown: server.breakerCooldown.seconds)
        for tenant in config.tenants {
            for connection in tenant.connections {
                let origin = EndpointOrigin(connection, server)
                if let kept = previous?.endpoints[tenant.name]?[connection.name], kept.origin == origin {
                    endpoints[tenant.name, default: [:]][connection.name] = kept
                    continue
                }
                let table = routes[connection.provider] ?? ProviderRoutes(provider: connection.provider, routes: [:], buckets: [:])
                let owner = ConnectionLabels(
                    tenant: tenant.name, connection: connection.name, provider: connection.provider, configDigest: origin.digest)
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
                let drift = ShapeDriftLog(
                    tenant: tenant.name, connection: connection.name, provider: connection.provider.rawValue, metrics: metrics, logger: logger
                )
                let providerConnection = ProviderConnection(
                    name: connection.name, kind: connection.provider, credentials: connection.credentials,
                    tenantHost: connection.tenantHost, timezone: connection.timezone, accountID: connection.accountID, routes: table,
                    shapeDrift: drift.reporter, notice: drift.notice
                )
                endpoints[tenant.name, default: [:]][connection.name] = Endpoint(
                    adapter: ProviderAdapters.make(providerConnection, transport: transport), transport: transport,
                    scopes: table.buckets.mapValues(\.keyedBy), origin: origin
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
        HexDigits.lowercase(SHA256.hash(data: Data(parts.joined(separator: "\u{0}").utf8)).prefix(16))
    }

    /// Every endpoint, by tenant and connection name.
    var all: [String: [String: Endpoint]] { endpoints }

    /// The endpoint of one of the tenant's connections (the caller resolved the name already).
    func endpoint(tenant: String, connection: String) throws -> Endpoint {
        guard let endpoint = endpoints[tenant]?[connection] else {
            throw GatewayError(.notFound, "Unknown connection '\(connection)'", connection: connection)
        }
        return endpoint
    }
}
