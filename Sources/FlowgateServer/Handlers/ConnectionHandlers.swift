import FlowgateCore
import FlowgateProviders
import Hummingbird

/// `GET /v1/connections`: the caller's tenant's connections, from config, with each circuit's state
/// and each upstream bucket's limit and use — never URLs or credentials.
enum ConnectionHandlers {
    static func list(_ services: GatewayServices) -> @Sendable (Request, GatewayRequestContext) async throws -> Response {
        { _, context in
            let tenant = try context.requireCaller().tenant
            let adapters = try context.requireGeneration().adapters
            var infos: [ConnectionInfo] = []
            for connection in tenant.connectionOrder.compactMap({ tenant.connections[$0] }) {
                let endpoint = try adapters.endpoint(tenant: tenant.name, connection: connection.name)
                infos.append(
                    ConnectionInfo(
                        name: connection.name, provider: connection.provider,
                        capabilities: ProviderProfile.of(connection.provider).capabilities,
                        health: .init(circuit: await services.breakers.circuit(endpoint.transport.owner.breakerKey)),
                        limits: await endpoint.transport.bucket.snapshot(scopes: endpoint.scopes)
                    )
                )
            }
            return try JSONResponse.make(.ok, Envelope(data: infos))
        }
    }
}

extension GatewayRequestContext {
    /// The authenticated caller; every `/v1` route but the schema runs behind ``AuthMiddleware``.
    func requireCaller() throws -> Caller {
        guard let caller else { throw GatewayError(.unauthenticated, "Authentication required") }
        return caller
    }
}
