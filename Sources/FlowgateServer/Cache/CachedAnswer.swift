import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1

/// One cached canonical answer: the bytes every hit sends, and when it was fetched.
struct CachedAnswer: Sendable {
    var status: Int
    var contentType: String
    /// Shared, not copied, by every hit (`ByteBuffer` is copy-on-write).
    var body: ByteBuffer
    var storedAt: Date
    var ttl: TimeInterval
    /// What a write invalidates it by: `instance:<tenant>/<id>`, `lists:<tenant>/<connection>`.
    var tags: Set<String>
    /// The route template of the canonical read that stored it (`/v1/instances/{id}`): its access-log
    /// and metric label. Only such answers are served by the hit path below the router; nil for native
    /// reads and for answers read from the cluster's shared store, which the router serves.
    var canonicalRoute: String?
    /// `Content-Type` and `Content-Length`, made once when stored: the fixed part of every hit's head,
    /// as the router's answers carry it and as the hit path below the router writes it.
    let head: HTTPFields
    let http1Head: HTTPHeaders

    init(
        status: Int, contentType: String, body: ByteBuffer, storedAt: Date, ttl: TimeInterval, tags: Set<String>, canonicalRoute: String? = nil
    ) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.storedAt = storedAt
        self.ttl = ttl
        self.tags = tags
        self.canonicalRoute = canonicalRoute
        self.head = CanonicalAnswer.head(contentType: contentType, length: body.readableBytes)
        self.http1Head = HTTPHeaders(head.map { ($0.name.rawName, $0.value) })
    }

    var byteCount: Int { body.readableBytes + 256 }

    /// The answer as a fill hands it to its waiters.
    var answer: CanonicalAnswer {
        var answer = CanonicalAnswer(status: HTTPResponse.Status(code: status), contentType: contentType, body: body)
        answer.head = head
        return answer
    }

    /// How an answer of this age may be used (docs/cache.md): fresh within its TTL; then, for
    /// `staleWhileRevalidate` more seconds, served at once while one refresh runs; then, for
    /// `staleIfError` more seconds (counted from the end of the TTL), only if the refresh fails.
    enum Freshness: Sendable, Hashable {
        case fresh
        case staleWhileRevalidate
        case staleIfError
        case expired
    }

    func freshness(now: Date, staleWhileRevalidate: TimeInterval, staleIfError: TimeInterval) -> Freshness {
        let age = now.timeIntervalSince(storedAt)
        if age < ttl { return .fresh }
        if age < ttl + staleWhileRevalidate { return .staleWhileRevalidate }
        if age < ttl + staleIfError { return .staleIfError }
        return .expired
    }

    func age(now: Date) -> Int { max(0, Int(now.timeIntervalSince(storedAt))) }
}
