import FlowgateCore
import Hummingbird
import Logging

/// Per-request state the pipeline fills in: the request id (from ``RequestIDMiddleware``) and the
/// authenticated caller (from ``AuthMiddleware``).
public struct GatewayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The id echoed in `X-Request-Id`, every log line and every error envelope.
    public var requestID: String?
    /// Nil until ``AuthMiddleware`` has accepted the request's key.
    public var caller: Caller?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    /// The matched route template for logs and metric labels, or `unmatched`: never a raw path, so
    /// label sets stay bounded and ids stay out of metrics.
    var routeLabel: String {
        guard let path = endpointPath, path != "NotFound" else { return "unmatched" }
        return path
    }
}

/// Who is calling: the tenant that owns the key, and what the key may do.
public struct Caller: Sendable {
    public var tenant: TenantDirectory.Tenant
    public var keyID: String
    public var scopes: Set<KeyConfig.Scope>
    /// The key's inbound limit (`keys[].rate`), if it has one.
    public var rate: KeyConfig.Rate?
}
