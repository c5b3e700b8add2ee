import FlowgateCore

/// Bitrix24's credentials, for its own calls and for native ones alike.
extension Bitrix24Adapter {
    /// `X-Api-Key: <api_key>`, plus `Authorization: Bearer <user_token>` for a `vibe_app_` key's user
    /// session (vibecode docs, keys and authorization).
    func credentialHeaders() throws -> [(name: String, value: String)] {
        var headers = [(name: "X-Api-Key", value: try connection.credential("api_key"))]
        if let session = connection.credentials["user_token"] {
            headers.append((name: "Authorization", value: "Bearer \(session.value)"))
        }
        return headers
    }

    public func nativeCredentials() async throws -> NativeCredentials {
        NativeCredentials(headers: try credentialHeaders())
    }
}
