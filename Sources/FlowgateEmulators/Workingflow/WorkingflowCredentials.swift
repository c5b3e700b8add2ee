extension WorkingflowEmulator {
    /// The API keys the emulated deployment accepts, as an admin would manage them at `/admin/api-keys`.
    public struct Credentials: Sendable {
        /// Active keys and their display names; a start records `"initiator": "api:<name>"` ([INF] from the docs' example).
        public var apiKeys: [String: String]
        /// Keys that exist but were deactivated; they get the same 401 as an unknown key.
        public var inactiveKeys: Set<String>

        public init(apiKeys: [String: String], inactiveKeys: Set<String> = []) {
            self.apiKeys = apiKeys
            self.inactiveKeys = inactiveKeys
        }

        /// The value `Config/demo.yaml` uses.
        public static let demo = Credentials(apiKeys: ["wf_demo_0000000000000000": "Flowgate Demo"])
    }
}
