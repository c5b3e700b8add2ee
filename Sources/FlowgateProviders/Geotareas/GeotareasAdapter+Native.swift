import FlowgateCore

/// Geotareas' credentials, for its own calls and for native ones alike: the session's JWT, the
/// company's integration key and the `tenant` header (Geotareas docs, authentication).
extension GeotareasAdapter {
    func credentialHeaders(jwt: String) throws -> [(name: String, value: String)] {
        [
            (name: "Authorization", value: "Bearer \(jwt)"),
            (name: "X-API-Key", value: try connection.credential("api_key")),
            (name: "tenant", value: try tenant()),
        ]
    }

    /// The connection's session JWT (logging in first if there is none), as every canonical call uses.
    public func nativeCredentials() async throws -> NativeCredentials {
        let jwt = try await session.token()
        return NativeCredentials(headers: try credentialHeaders(jwt: jwt), renewable: jwt)
    }

    /// A `401` means the JWT was refused: one re-login, shared with every canonical call waiting on the
    /// same session, exactly as ``send(_:)`` does for the adapter's own calls.
    public func renewedNativeCredentials(after refused: NativeCredentials) async throws -> NativeCredentials? {
        guard let jwt = refused.renewable else { return nil }
        let fresh = try await session.token(replacing: jwt)
        return NativeCredentials(headers: try credentialHeaders(jwt: fresh), renewable: fresh)
    }

    public var renewsNativeCredentials: Bool { true }
}
