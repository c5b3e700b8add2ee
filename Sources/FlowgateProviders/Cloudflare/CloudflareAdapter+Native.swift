import FlowgateCore

/// Cloudflare's credential, for its own calls and for native ones alike.
extension CloudflareAdapter {
    /// `Authorization: Bearer <api_token>` (Cloudflare API docs, making API calls).
    func credentialHeaders() throws -> [(name: String, value: String)] {
        [(name: "Authorization", value: "Bearer \(try connection.credential("api_token"))")]
    }

    public func nativeCredentials() async throws -> NativeCredentials {
        NativeCredentials(headers: try credentialHeaders())
    }
}
