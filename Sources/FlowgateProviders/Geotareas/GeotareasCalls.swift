import FlowgateCore
import Foundation

/// Sending Geotareas calls: the three auth headers on each, one re-login and one retry on a 401, and
/// the error table on every failure.
extension GeotareasAdapter {
    /// The `tenant` header: the company hostname the connection is configured with.
    func tenant() throws -> String {
        guard let host = connection.tenantHost, !host.isEmpty else {
            throw connection.error(.upstreamAuthFailed, "The Geotareas connection has no tenant_host configured; Geotareas requires it on every call")
        }
        return host
    }

    /// Sends a call with the session's JWT and returns its 2xx reply. A 401 means the JWT (not the call)
    /// was refused, so the call had no effect and is safe to send once more, writes included.
    func send(_ call: UpstreamCall) async throws -> UpstreamReply {
        let jwt = try await session.token()
        var reply = try await transport.send(try authorized(call, jwt: jwt))
        if reply.status == 401 {
            let fresh = try await session.token(replacing: jwt)
            reply = try await transport.send(try authorized(call, jwt: fresh))
        }
        guard reply.isSuccess else { throw failure(reply, of: call) }
        return reply
    }

    private func authorized(_ call: UpstreamCall, jwt: String) throws -> UpstreamCall {
        var call = call
        for header in try credentialHeaders(jwt: jwt) { call.addHeader(header.name, header.value) }
        return call
    }

    /// `POST /apidev/v1/login`: the JWT and the lifetime it states. Only the session calls this.
    static func logIn(
        connection: ProviderConnection, transport: any UpstreamTransport, now: Date
    ) async throws -> (jwt: String, lifetime: TimeInterval?) {
        var call = try connection.routes.call("login")
        guard let host = connection.tenantHost, !host.isEmpty else {
            throw connection.error(.upstreamAuthFailed, "The Geotareas connection has no tenant_host configured; Geotareas requires it to log in")
        }
        call.addHeader("tenant", host)
        try call.setJSONBody(
            .object(["email": .string(try connection.credential("email")), "password": .string(try connection.credential("password"))]))
        let reply = try await transport.send(call)
        guard reply.isSuccess else { throw GeotareasErrors.failure(reply, table: GeotareasErrors.loginTable, connection: connection) }
        let mapping = GeotareasMapping(connection: connection)
        let data = try mapping.json.object(try mapping.envelope(reply)["data"], "data")
        let jwt = try mapping.json.string(data["authorization"], "data.authorization")
        guard !jwt.isEmpty else { throw mapping.json.broken("data.authorization is empty") }
        return (jwt, GeotareasSession.lifetime(of: jwt, now: now))
    }

    /// A Geotareas id where one is documented (BigInt strings, ≤ 30 characters): anything else cannot
    /// name a Geotareas object, so it is refused before any upstream call.
    func checkID(_ native: String, field: String) throws {
        guard Self.isID(native) else {
            throw GeotareasAdapter.invalid(
                [.init(field: field, issue: "is not a Geotareas id (up to 30 digits after '\(connection.name):')")], connection: connection)
        }
    }

    static func isID(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 30 && text.utf8.allSatisfy { (48...57).contains($0) }
    }

    /// `400 INVALID_REQUEST` about this connection, with every problem in `details`.
    static func invalid(_ details: [GatewayError.Detail], connection: ProviderConnection) -> GatewayError {
        var error = GatewayError.invalid(details)
        error.connection = connection.name
        error.provider = connection.kind
        return error
    }
}
