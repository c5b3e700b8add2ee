import FlowgateCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// What the hit path below the router (``CacheHitHandler``) decides for one request: whether it is a
/// fresh cache hit of a canonical read by a key the router has verified, and if so its answer — the
/// same bytes, headers, metrics and access line the router would give it, without the router.
///
/// Anything it is not sure of is left to the router, which then decides as it always did: a key
/// not verified recently, a missing read scope, `Cache-Control: no-cache`, a request with a body or
/// that closes its connection, a target over `max_uri_bytes`, an answer that is not fresh or came
/// from the cluster's shared store, a key over its inbound rate. Auth still comes before any cache
/// read, with the request's pinned generation; the key holds the caller's tenant, so another tenant's
/// answer cannot be found; and nothing is spent (no token, no metric) unless the hit is answered.
struct CacheHitPath: Sendable {
    let generations: GenerationStore
    let cache: ResponseCache
    let limiter: InboundLimiter
    let metrics: GatewayMetrics
    let date: HTTPDate
    /// `Server` on every answer, as Hummingbird adds it.
    let serverName: String?
    let logger: Logger

    /// A hit to write: the response head, its body, and what its access line says.
    struct Hit {
        var head: HTTPResponse
        var body: ByteBuffer
        var route: String
        var requestID: String
        var caller: Caller
    }

    /// This process's own answers: the memory store, or cluster mode's L1 in front of PostgreSQL.
    private var near: MemoryResponseCache? {
        cache.store as? MemoryResponseCache ?? (cache.store as? TieredResponseCache)?.near
    }

    /// The hit `request` is, or nil to leave it to the router.
    func answer(_ request: HTTPRequest) -> Hit? {
        guard request.method == .get, let target = request.path, let fields = HitFields(request.headerFields) else { return nil }
        let generation = generations.generation
        guard target.utf8.count <= generation.config.server.maxURIBytes,
            let header = fields.authorization, let token = AuthMiddleware.bearerToken(header),
            let caller = generation.directory.verifiedCaller(presenting: token), caller.scopes.contains(.read),
            fields.cacheControl?.contains("no-cache") != true
        else { return nil }
        let uri = URI(target)
        let key = CachePolicy.key(tenant: caller.tenant.name, path: uri.path, query: uri.query)
        let now = cache.clock.date
        guard let stored = near?.get(key), let route = stored.canonicalRoute,
            stored.freshness(now: now, staleWhileRevalidate: cache.staleWhileRevalidate, staleIfError: cache.staleIfError) == .fresh,
            limiter.admit(caller) == nil
        else { return nil }
        metrics.recordCache(.hit)
        let requestID = fields.requestID.flatMap { RequestID.isWellFormed($0) ? $0 : nil } ?? RequestID.make()
        var headers = CanonicalAnswer.headers(stored.head, xCache: .hit, age: stored.age(now: now))
        headers.append(HTTPField(name: .requestID, value: requestID))
        headers.append(HTTPField(name: .date, value: date.value(for: Date())))
        if let serverName { headers.append(HTTPField(name: .server, value: serverName)) }
        return Hit(
            head: HTTPResponse(status: HTTPResponse.Status(code: stored.status), headerFields: headers), body: stored.body, route: route,
            requestID: requestID, caller: caller
        )
    }

    /// The request metrics and the access line of a written hit, as ``RequestTelemetryMiddleware``
    /// records them, under a logger carrying what the router's would: request id, tenant, key id.
    func record(_ hit: Hit, elapsed: Duration) {
        var logger = logger
        if logger.logLevel <= .info {
            logger[metadataKey: "hb.request.id"] = .string(hit.requestID)
            logger[metadataKey: "tenant"] = .string(hit.caller.tenant.name)
            logger[metadataKey: "key_id"] = .string(hit.caller.keyID)
        }
        RequestTelemetryMiddleware.record(.get, route: hit.route, status: 200, elapsed: elapsed, metrics: metrics, logger: logger)
    }
}

/// The request header fields the hit path reads, from one pass over them; nil when the request is
/// not one it answers: a body is announced, or the connection is to close after it, or a field it
/// reads is repeated (the router joins repeated values; the hit path leaves such requests to it).
private struct HitFields {
    var authorization: String?
    var cacheControl: String?
    var requestID: String?

    init?(_ fields: HTTPFields) {
        for field in fields {
            switch field.name {
            case .authorization:
                guard authorization == nil else { return nil }
                authorization = field.value
            case .cacheControl:
                guard cacheControl == nil else { return nil }
                cacheControl = field.value
            case .requestID:
                guard requestID == nil else { return nil }
                requestID = field.value
            case .contentLength, .transferEncoding, .expect:
                return nil
            case .connection:
                guard field.value.lowercased() == "keep-alive" else { return nil }
            default:
                continue
            }
        }
    }
}
