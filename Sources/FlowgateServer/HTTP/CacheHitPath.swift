import FlowgateCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// What the hit path below the router (``CacheHitHandler``) decides for one request: whether it is a
/// fresh cache hit of a canonical read by a key the router has verified, and if so its answer — the
/// same bytes, headers, metrics and access line the router would give it, without the router.
///
/// Anything it is not sure of is left to the router, which then decides as it always did: a head
/// ``RequestHeadCheck`` refuses, a request that closes its connection (HTTP/1.0, `Connection: close`)
/// or announces a body, a target over `max_uri_bytes`, a key not verified recently, a missing read
/// scope, `Cache-Control: no-cache`, a repeated field the router would join, an answer that is not
/// fresh or came from the cluster's shared store, a key over its inbound rate. Auth comes before any
/// cache read, with the request's pinned generation; the key holds the caller's tenant, so another
/// tenant's answer cannot be found; nothing is spent (no token, no metric) unless the hit is answered.
struct CacheHitPath: Sendable {
    let generations: GenerationStore
    let cache: ResponseCache
    let limiter: InboundLimiter
    let metrics: GatewayMetrics
    let date: HTTPDate
    /// `Server` on every answer, as Hummingbird adds it.
    let serverName: String?
    /// `Allow` of the refusals ``HTTPFramingGuard`` gives: what ``RequestHeadCheck`` is asked with.
    let allowedMethods: String
    let logger: Logger
    /// This process's own answers: the memory store, or cluster mode's L1 in front of PostgreSQL. Found
    /// once: the cache's store never changes (a reload keeps the cache and drops entries by tag).
    private let near: MemoryResponseCache?

    init(
        generations: GenerationStore, cache: ResponseCache, limiter: InboundLimiter, metrics: GatewayMetrics, date: HTTPDate,
        serverName: String?, allowedMethods: String, logger: Logger
    ) {
        self.generations = generations
        self.cache = cache
        self.limiter = limiter
        self.metrics = metrics
        self.date = date
        self.serverName = serverName
        self.allowedMethods = allowedMethods
        self.logger = logger
        self.near = cache.store as? MemoryResponseCache ?? (cache.store as? TieredResponseCache)?.near
    }

    /// A hit to write: the response head, its body, and what its access line says.
    struct Hit {
        var head: HTTPResponseHead
        var body: ByteBuffer
        var route: String
        var requestID: String
    }

    /// The hit `request` is, or nil to leave it to the router.
    func answer(_ request: HTTPRequestHead) -> Hit? {
        guard request.method == .GET, request.version == .http1_1, let fields = HitFields(request.headers),
            RequestHeadCheck.refusal(of: request, allowedMethods: allowedMethods) == nil
        else { return nil }
        let generation = generations.generation
        guard request.uri.utf8.count <= generation.config.server.maxURIBytes,
            let header = fields.authorization, let token = AuthMiddleware.bearerToken(header),
            let caller = generation.directory.verifiedCaller(presenting: token), caller.scopes.contains(.read),
            fields.cacheControl?.contains("no-cache") != true
        else { return nil }
        let uri = URI(request.uri)
        let key = CachePolicy.key(tenant: caller.tenant.name, path: uri.path, query: uri.query)
        let now = cache.clock.date
        guard let stored = near?.get(key), let route = stored.canonicalRoute,
            stored.freshness(now: now, staleWhileRevalidate: cache.staleWhileRevalidate, staleIfError: cache.staleIfError) == .fresh,
            limiter.admit(caller) == nil
        else { return nil }
        metrics.recordCache(.hit)
        let requestID = fields.requestID.flatMap { RequestID.isWellFormed($0) ? $0 : nil } ?? RequestID.make()
        // The fields and their order are the router's: the answer's head, X-Cache and Age (the cache),
        // X-Request-Id (telemetry), Date and Server (Hummingbird).
        var headers = stored.http1Head
        headers.reserveCapacity(headers.count + 5)
        headers.add(name: "X-Cache", value: "HIT")
        headers.add(name: "Age", value: String(stored.age(now: now)))
        headers.add(name: "X-Request-Id", value: requestID)
        headers.add(name: "Date", value: date.value(for: Date()))
        if let serverName { headers.add(name: "Server", value: serverName) }
        return Hit(
            head: HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: stored.status), headers: headers), body: stored.body,
            route: route, requestID: requestID
        )
    }

    /// The request metrics and the access line of a written hit, as ``RequestTelemetryMiddleware``
    /// records them, under a logger carrying what the router's access line carries: the request id.
    func record(_ hit: Hit, elapsed: Duration) {
        var logger = logger
        if logger.logLevel <= .info { logger[metadataKey: "hb.request.id"] = .string(hit.requestID) }
        RequestTelemetryMiddleware.record(.get, route: hit.route, status: 200, elapsed: elapsed, metrics: metrics, logger: logger)
        metrics.hitsBelowRouter.add(1, ordering: .relaxed)
    }
}

/// The request header fields the hit path reads, from one pass over them; nil when the request is
/// not one it answers: a body is announced, the connection is to close after it, or a field it reads
/// is repeated (the router joins repeated values; the hit path leaves such requests to it).
private struct HitFields {
    var authorization: String?
    var cacheControl: String?
    var requestID: String?

    init?(_ headers: HTTPHeaders) {
        for (name, value) in headers {
            let bytes = name.utf8
            if Self.named(bytes, "authorization") {
                guard authorization == nil else { return nil }
                authorization = value
            } else if Self.named(bytes, "cache-control") {
                guard cacheControl == nil else { return nil }
                cacheControl = value
            } else if Self.named(bytes, "x-request-id") {
                guard requestID == nil else { return nil }
                requestID = value
            } else if Self.named(bytes, "content-length") || Self.named(bytes, "transfer-encoding") || Self.named(bytes, "expect") {
                return nil
            } else if Self.named(bytes, "connection") {
                guard Self.named(value.utf8, "keep-alive") else { return nil }
            }
        }
    }

    /// ASCII case-insensitive equality with a lowercase name (header names are tokens: ASCII only).
    private static func named(_ bytes: String.UTF8View, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        var index = 0
        for byte in bytes {
            let folded = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
            guard folded == lowercase.utf8Start[index] else { return false }
            index += 1
        }
        return true
    }
}
