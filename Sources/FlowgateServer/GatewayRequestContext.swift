import FlowgateCore
import Hummingbird
import Logging

/// Per-request state the pipeline fills in: the request id (from ``RequestTelemetryMiddleware``) and the
/// authenticated caller (from ``AuthMiddleware``).
public struct GatewayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The id echoed in `X-Request-Id`, every log line and every error envelope.
    public var requestID: String?
    /// Nil until ``AuthMiddleware`` has accepted the request's key.
    public var caller: Caller?
    /// The config generation the request runs on, pinned by ``GenerationMiddleware`` when it arrives.
    var generation: GatewayGeneration?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    /// The pinned generation; every route runs behind ``GenerationMiddleware``, so a missing one is a bug.
    func requireGeneration() throws -> GatewayGeneration {
        guard let generation else { throw GatewayError(.internalError, "No config generation pinned to the request") }
        return generation
    }

    /// The matched route template for logs and metric labels, or `unmatched`: never a raw path, so
    /// label sets stay bounded and ids stay out of metrics.
    var routeLabel: String {
        guard let path = endpointPath, path != "NotFound" else { return "unmatched" }
        return path
    }
}

/// Who is calling: the tenant that owns the key, and what the key may do. One object per configured
/// key, built when the config is loaded (``TenantDirectory``), never per request; a class so that the
/// request context, copied by every middleware, carries one reference rather than all these fields.
public final class Caller: Sendable {
    public let tenant: TenantDirectory.Tenant
    public let keyID: String
    public let scopes: Set<KeyConfig.Scope>
    /// The key's inbound limit (`keys[].rate`), if it has one.
    public let rate: KeyConfig.Rate?
    /// The key's inbound bucket and its size, when it has a limit (``InboundLimitMiddleware``).
    let inboundBucket: (key: BucketKey, size: TokenBucket.Size)?

    init(tenant: TenantDirectory.Tenant, keyID: String, scopes: Set<KeyConfig.Scope>, rate: KeyConfig.Rate?) {
        self.tenant = tenant
        self.keyID = keyID
        self.scopes = scopes
        self.rate = rate
        self.inboundBucket = rate.map { rate in
            (
                BucketKey(credential: "key:\(tenant.name)/\(keyID)", bucket: "inbound"),
                TokenBucket.Size(ratePerSecond: rate.perSecond, burst: rate.burst)
            )
        }
    }
}
