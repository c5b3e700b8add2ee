import AsyncHTTPClient
import Hummingbird
import NIOCore

/// The body a native call sends upstream.
///
/// A body with a declared length streams through as it arrives: the length is already within
/// `server.max_body_bytes` (``RequestLimitsMiddleware``) and HTTP/1 framing holds the client to it. A
/// body the gateway may have to send twice — a read that may be retried, a call whose credentials may be
/// renewed (Geotareas), an `Idempotency-Key` whose fingerprint covers it — or one sent without a length
/// (chunked, so its size is unknown until its end) is read first, within the same limit.
enum NativeRequestBody: Sendable {
    case none
    case bytes(ByteBuffer)
    case stream(RequestBody, length: Int)

    /// The request's body as a native call sends it; `mustKeep` when it may be sent more than once.
    static func read(_ request: Request, mustKeep: Bool, limit: Int) async throws -> NativeRequestBody {
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        let chunked = request.headers[.transferEncoding] != nil
        if !chunked, declared == nil || declared == 0 { return .none }
        if let declared, !chunked, !mustKeep { return .stream(request.body, length: declared) }
        let buffer = try await request.body.collect(upTo: limit)
        return buffer.readableBytes == 0 ? .none : .bytes(buffer)
    }

    /// The kept bytes, for fingerprints; nil when the body streams.
    var kept: ByteBuffer? {
        switch self {
        case .none: ByteBuffer()
        case .bytes(let buffer): buffer
        case .stream: nil
        }
    }

    var clientBody: HTTPClientRequest.Body? {
        switch self {
        case .none: nil
        case .bytes(let buffer): .bytes(buffer)
        case .stream(let body, let length): .stream(body, length: .known(Int64(length)))
        }
    }
}
