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
                var buckets = table.buckets.mapValues { TokenBucket.Size(ratePerSecond: $0.ratePerSecond, burst: $0.burst) }
                for (name, size) in connection.limits { buckets[name] = .init(ratePerSecond: size.ratePerSecond, burst: size.burst) }
                let owner = ConnectionLabels(tenant: tenant.name, connection: connection.name, provider: connection.provider)
                let transport = ConnectionTransport(
                    owner: owner,
                    deadline: DeadlineStage(callTimeout: server.upstreamTimeout, clock: clock),
                    retry: RetryStage(retries: server.upstreamRetries, clock: clock),
                    bucket: BucketStage(
                        owner: owner, credential: Self.credentialDigest(connection), sizes: buckets, store: limits,
                        maxWait: server.rateLimitMaxWait, clock: clock, metrics: metrics
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
                    adapter: ProviderAdapters.make(providerConnection, transport: transport), transport: transport
                )
            }
        }
        self.endpoints = endpoints
    }

    /// Who spends a bucket: the provider, the upstream origin and the credential values. Connections
    /// sharing a token share its budget (the upstream counts them together); anyone else's is apart.
    static func credentialDigest(_ connection: ConnectionConfig) -> String {
        let origin = URLComponents(string: connection.baseURL).map { "\($0.scheme ?? "")://\($0.host ?? ""):\($0.port ?? 0)" } ?? connection.baseURL
        let secrets = connection.credentials.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.value)" }
        let text = ([connection.provider.rawValue, origin] + secrets).joined(separator: "\u{0}")
        return SHA256.hash(data: Data(text.utf8)).prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    /// The endpoint of one of the tenant's connections (the caller resolved the name already).
    func endpoint(tenant: String, connection: String) throws -> Endpoint {
        guard let endpoint = endpoints[tenant]?[connection] else {
            throw GatewayError(.notFound, "Unknown connection '\(connection)'", connection: connection)
        }
        return endpoint
    }
}
