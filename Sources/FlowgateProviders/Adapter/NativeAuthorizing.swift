import FlowgateCore

/// The credential headers a native passthrough call carries (`/v1/connections/{name}/native/…`).
///
/// They are exactly the headers the adapter's own calls carry, built by the same code, so a native
/// client reaches the upstream as the tenant's connection does and never holds the secret itself.
public struct NativeCredentials: Sendable {
    public var headers: [(name: String, value: String)]
    /// What the adapter needs to renew these credentials after the upstream refused them (Geotareas'
    /// JWT); nil when they cannot be renewed, only fixed in config.
    public var renewable: String?

    public init(headers: [(name: String, value: String)], renewable: String? = nil) {
        self.headers = headers
        self.renewable = renewable
    }
}

/// How an adapter authorizes native calls. Every ``ProviderAdapter`` is one.
public protocol NativeAuthorizing: Sendable {
    /// The headers to add to a native call now (Geotareas logs in first if its session has no JWT).
    func nativeCredentials() async throws -> NativeCredentials
    /// Fresh credentials after the upstream answered `401` to `refused`, when the adapter can renew them
    /// (Geotareas logs in again, once, as its own calls do); nil when a resend cannot help.
    func renewedNativeCredentials(after refused: NativeCredentials) async throws -> NativeCredentials?
    /// Whether a `401` may be answered by renewing the credentials and sending the call again: the
    /// server then keeps the request body so the call can be replayed.
    var renewsNativeCredentials: Bool { get }
}

extension NativeAuthorizing {
    public func renewedNativeCredentials(after refused: NativeCredentials) async throws -> NativeCredentials? { nil }
    public var renewsNativeCredentials: Bool { false }
}
