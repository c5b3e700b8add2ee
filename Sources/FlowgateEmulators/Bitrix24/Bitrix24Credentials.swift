import Foundation

extension Bitrix24Emulator {
    /// The keys and user sessions the emulated vibecode platform knows.
    public struct Credentials: Sendable {
        /// Personal `vibe_api_` keys that carry the `bizproc` scope; they act as their owner, no session needed.
        public var personalKeys: Set<String>
        /// Authorization-app `vibe_app_` keys; they only act together with a user session.
        public var appKeys: Set<String>
        /// User session tokens (`vibe_session_`) for app keys, all issued when the emulator starts.
        public var sessions: Set<String>
        /// Personal keys that exist but were issued without the `bizproc` scope.
        public var keysWithoutBizproc: Set<String>
        /// How long a session lives; [3P] about 24 h with no refresh token.
        public var sessionLifetime: TimeInterval

        public init(
            personalKeys: Set<String>, appKeys: Set<String> = [], sessions: Set<String> = [],
            keysWithoutBizproc: Set<String> = [], sessionLifetime: TimeInterval = 24 * 60 * 60
        ) {
            self.personalKeys = personalKeys
            self.appKeys = appKeys
            self.sessions = sessions
            self.keysWithoutBizproc = keysWithoutBizproc
            self.sessionLifetime = sessionLifetime
        }

        /// The values `Config/demo.yaml` uses.
        public static let demo = Credentials(
            personalKeys: ["vibe_api_demo_0000000000000000"],
            appKeys: ["vibe_app_demo_0000000000000000"],
            sessions: ["vibe_session_demo_0000000000000000"],
            keysWithoutBizproc: ["vibe_api_noscope_0000000000000000"]
        )
    }
}
