import Foundation
import NIOCore

/// One cached canonical answer: the bytes every hit sends, and when it was fetched.
struct CachedAnswer: Sendable, Hashable {
    var status: Int
    var contentType: String
    /// Shared, not copied, by every hit (`ByteBuffer` is copy-on-write).
    var body: ByteBuffer
    var storedAt: Date
    var ttl: TimeInterval
    /// What a write invalidates it by: `instance:<tenant>/<id>`, `lists:<tenant>/<connection>`.
    var tags: Set<String>

    var byteCount: Int { body.readableBytes + 256 }

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
