import FlowgateCore

/// Workingflow's credential, for its own calls and for native ones alike.
extension WorkingflowAdapter {
    /// `Authorization: Bearer wf_<key>` (Workingflow REST API docs, chapter 24).
    func credentialHeaders() throws -> [(name: String, value: String)] {
        [(name: "Authorization", value: "Bearer \(try connection.credential("api_key"))")]
    }

    public func nativeCredentials() async throws -> NativeCredentials {
        NativeCredentials(headers: try credentialHeaders())
    }
}
