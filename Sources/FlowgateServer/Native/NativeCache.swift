import FlowgateCore
import Foundation
import Hummingbird
import NIOCore

/// Native reads in the response cache, and what native writes drop from it.
///
/// Native GETs are cached only on a connection that sets `native_cache_ttl_s`, and only on paths whose
/// route-table route (if any) is cached at all (file downloads are not). Entries are keyed per tenant
/// like canonical reads and coalesced the same way, and carry the connection's tags, so any write
/// through the gateway on that connection, canonical or native, drops them.
enum NativeCache {
    /// The lookup of a native GET, or nil when it is not cached.
    static func lookup(
        _ request: Request, tenant: String, connection: ConnectionConfig, path: NativePath, query: String?, routeTTL: Int?
    ) -> ResponseCache.Lookup? {
        guard request.method == .get, let ttl = connection.nativeCacheTTLSeconds, routeTTL != 0 else { return nil }
        let key = CachePolicy.key(tenant: tenant, path: "/v1/connections/\(connection.name)/native" + path.encoded, query: query)
        let tags: Set<String> = [
            CachePolicy.listsTag(tenant: tenant, connection: connection.name), CachePolicy.connectionTag(tenant: tenant, connection: connection.name),
        ]
        let bypass = request.headers[.cacheControl]?.contains("no-cache") ?? false
        return ResponseCache.Lookup(key: key, ttl: TimeInterval(ttl), tags: tags, bypass: bypass)
    }

    /// A collected native answer as the cache keeps it: status, content type and body (the upstream's
    /// other headers are not replayed); an upstream `Cache-Control: no-store` keeps it out of the cache.
    static func answer(_ response: Response, body: ByteBuffer) -> CanonicalAnswer {
        CanonicalAnswer(
            status: response.status, contentType: response.headers[.contentType] ?? JSONResponse.contentType, body: body,
            noStore: response.headers[.cacheControl]?.contains("no-store") ?? false
        )
    }
}
