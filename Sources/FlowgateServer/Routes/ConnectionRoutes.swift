import FlowgateCore
import FlowgateProviders
import Hummingbird

/// `GET /v1/connections`: the caller's tenant's connections, from config — never URLs or credentials.
enum ConnectionRoutes {
    static func list(_ request: Request, _ context: GatewayRequestContext) throws -> Response {
        let tenant = try context.requireCaller().tenant
        let infos = tenant.connectionOrder.compactMap { tenant.connections[$0] }.map { connection in
            ConnectionInfo(
                name: connection.name, provider: connection.provider,
                capabilities: ProviderProfile.of(connection.provider).capabilities,
                // No breaker exists yet, so no circuit can be open.
                health: .init(circuit: .closed)
            )
        }
        return try JSONResponse.make(.ok, Envelope(data: infos))
    }
}

extension GatewayRequestContext {
    /// The authenticated caller; every `/v1` route but the schema runs behind ``AuthMiddleware``.
    func requireCaller() throws -> Caller {
        guard let caller else { throw GatewayError(.unauthenticated, "Authentication required") }
        return caller
    }
}
