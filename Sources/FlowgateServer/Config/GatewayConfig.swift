import FlowgateCore
import FlowgateProviders
import Foundation

/// The whole validated configuration (docs/canonical-api.md#config). Built only by ``ConfigLoader``, so every instance
/// has passed validation: nothing downstream re-checks it per request.
public struct GatewayConfig: Sendable {
    public var server: ServerSettings
    public var cache: CacheSettings
    public var store: StoreSetting
    public var tenants: [TenantConfig]
}

public struct ServerSettings: Sendable {
    /// Address to bind; loopback by default.
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// Largest request body accepted; larger ones get `413 PAYLOAD_TOO_LARGE`.
    public var maxBodyBytes: Int = 1_048_576
    /// Longest request target (path and query) accepted; longer ones get `414 URI_TOO_LONG`.
    public var maxURIBytes: Int = 8192
    /// Bound of one upstream call: its token wait, every attempt (whole answer, head and body) and the
    /// backoff between attempts.
    public var upstreamTimeout: Duration = .seconds(10)
    /// Deadline of a whole canonical request: logins, re-logins, scans, limiter waits, retries and
    /// fan-out branches all run inside it; when it is spent the answer is `504 UPSTREAM_TIMEOUT`.
    public var requestTimeout: Duration = .seconds(15)
    /// Deadline to open an upstream connection.
    public var upstreamConnectTimeout: Duration = .seconds(3)
    /// Connections kept per upstream host.
    public var upstreamPoolSize: Int = 16
    /// Signs list cursors. Nil means a random one per process, which breaks cursors across restarts
    /// and replicas (a warning is logged).
    public var cursorSecret: Secret?
    /// How long SIGTERM waits for in-flight requests before cancelling them.
    public var drainTimeout: Duration = .seconds(25)
    /// After SIGTERM, how long `/readyz` answers 503 while the server still accepts requests, so a
    /// load balancer stops routing here before connections are refused (Kubernetes' preStop pause).
    public var shutdownDelay: Duration = .zero
    /// Idle keep-alive connections are closed after this long.
    public var idleTimeout: Duration = .seconds(60)
    /// Longest a request waits, in FIFO order, for an empty upstream bucket before `429 RATE_LIMITED`
    /// (never past its upstream deadline).
    public var rateLimitMaxWait: Duration = .seconds(2)
    /// How much longer than its window each call holds a window bucket's slot: margin for the jitter
    /// between the instant the gateway (or the fleet) lets a call go and the instant the upstream
    /// counts it (see docs/resilience.md for the measurement behind the default).
    public var windowMargin: Duration = .milliseconds(150)
    /// Retries of an idempotent read after a connect error or a 502/503/504, within its deadline.
    public var upstreamRetries: Int = 2
    /// Consecutive failures of a connection that open its circuit.
    public var breakerFailures: Int = 5
    /// How long an open circuit refuses calls before one probe may try.
    public var breakerCooldown: Duration = .seconds(10)
    /// How often `flowgate serve` looks at the config file and its `${file:…}` secrets for a change to
    /// reload; zero turns watching off (`SIGHUP` still reloads). Read at start-up only.
    public var configWatchInterval: Duration = .seconds(2)
}

public struct CacheSettings: Sendable {
    /// Upper bound of cached answer bytes, across tenants.
    public var maxBytes: Int = 64 * 1024 * 1024
    /// After its TTL, an answer is still served at once for this long while one refresh runs.
    public var staleWhileRevalidate: Duration = .seconds(10)
    /// After its TTL, an answer stands in for this long when the refresh fails upstream.
    public var staleIfError: Duration = .seconds(300)
}

/// Where shared state lives: this process's memory, or PostgreSQL for a fleet (cluster mode).
public enum StoreSetting: Sendable, Hashable {
    case memory
    case postgres(PostgresSettings)
}

public struct TenantConfig: Sendable {
    public var name: String
    public var keys: [KeyConfig]
    public var connections: [ConnectionConfig]
}

/// A gateway API key: stored only as the SHA-256 of the key.
public struct KeyConfig: Sendable {
    public enum Scope: String, Sendable, Hashable, CaseIterable {
        case read, execute
        /// The native passthrough, `/v1/connections/{name}/native/…` (docs/native.md): granted apart,
        /// because it reaches the upstream's own API rather than the canonical one.
        case native
    }

    public struct Rate: Sendable, Hashable {
        public var perSecond: Double
        public var burst: Int
        public init(perSecond: Double, burst: Int) {
            self.perSecond = perSecond
            self.burst = burst
        }
    }

    public var id: String
    /// The 32 bytes of the key's SHA-256.
    public var hash: [UInt8]
    public var scopes: Set<Scope>
    public var rate: Rate?
}

public struct ConnectionConfig: Sendable, Hashable {
    public var name: String
    public var provider: ProviderKind
    /// Origin (or, for Cloudflare, the API root) without a trailing slash.
    public var baseURL: String
    public var credentials: [String: Secret]
    /// Geotareas' `tenant` header; defaults to the base URL's host.
    public var tenantHost: String?
    /// Zone of upstream timestamps that carry none (Geotareas); UTC by default.
    public var timezone: TimeZone
    public var accountID: String?
    /// Bitrix24: the portal the key belongs to, which keys the shared `portal` bucket; nil = the base
    /// URL's origin.
    public var portal: String?
    /// Bucket limits overriding the route table's, by bucket name (`limits:`).
    public var limits: [String: BucketSpec.Shape]
    public var cacheTTLSeconds: [CanonicalOperation: Int]
    /// Seconds a native passthrough GET may be served from the cache (`native_cache_ttl_s`); nil: never.
    public var nativeCacheTTLSeconds: Int? = nil
    /// Bitrix24 only: whether a cancel may ask for `force` (`force=true` upstream, which may be the native
    /// kill that deletes the instance's data). Off unless the connection sets `allow_force_cancel: true`.
    public var allowForceCancel: Bool = false
}
