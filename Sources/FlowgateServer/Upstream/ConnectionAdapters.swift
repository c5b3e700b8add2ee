import FlowgateCore
import FlowgateProviders
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

    init(config: GatewayConfig, routes: [ProviderKind: ProviderRoutes], client: UpstreamClient, metrics: GatewayMetrics, logger: Logger) {
        var endpoints: [String: [String: Endpoint]] = [:]
        for tenant in config.tenants {
            for connection in tenant.connections {
                let transport = ConnectionTransport(
                    connection: connection.name, provider: connection.provider, baseURL: connection.baseURL, client: client,
                    timeout: config.server.upstreamTimeout, maxAnswerBytes: Self.maxAnswerBytes, metrics: metrics, fallbackLogger: logger
                )
                let providerConnection = ProviderConnection(
                    name: connection.name, kind: connection.provider, credentials: connection.credentials,
                    tenantHost: connection.tenantHost, timezone: connection.timezone, accountID: connection.accountID,
                    routes: routes[connection.provider] ?? ProviderRoutes(provider: connection.provider, routes: [:], buckets: [:])
                )
                endpoints[tenant.name, default: [:]][connection.name] = Endpoint(
                    adapter: ProviderAdapters.make(providerConnection, transport: transport), transport: transport
                )
            }
        }
        self.endpoints = endpoints
    }

    /// The endpoint of one of the tenant's connections (the caller resolved the name already).
    func endpoint(tenant: String, connection: String) throws -> Endpoint {
        guard let endpoint = endpoints[tenant]?[connection] else {
            throw GatewayError(.notFound, "Unknown connection '\(connection)'", connection: connection)
        }
        return endpoint
    }
}
