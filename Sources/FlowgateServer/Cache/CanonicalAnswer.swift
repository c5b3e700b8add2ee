import FlowgateCore
import HTTPTypes
import Hummingbird
import NIOCore

/// An answer as a cached read produces it, once, as ready-to-write bytes: the status, the part of the
/// head that is the same for every caller (content type and length, and `Cache-Control: no-store` on
/// an answer not to be kept), and the body. The response cache stores it as it is, shares it with
/// every waiter of a fill, and builds the one ``Response`` each caller gets from it; nothing drains a
/// response back into bytes.
struct CanonicalAnswer: Sendable {
    var status: HTTPResponse.Status
    var head: HTTPFields
    var body: ByteBuffer
    /// Not to be stored (a partial fan-out answer, or an upstream that said so on a native read).
    var noStore: Bool

    /// An answer of `contentType`; the head is made here, once.
    init(status: HTTPResponse.Status, contentType: String, body: ByteBuffer, noStore: Bool = false, headers: HTTPFields = [:]) {
        self.status = status
        self.head = Self.head(contentType: contentType, length: body.readableBytes, extra: headers)
        self.body = body
        self.noStore = noStore
    }

    /// A canonical JSON answer. `partial`: right now but not worth keeping, so neither the gateway's
    /// cache nor the client stores it (`Cache-Control: no-store`).
    static func json(_ status: HTTPResponse.Status, _ value: some Encodable, partial: Bool = false) throws -> CanonicalAnswer {
        CanonicalAnswer(
            status: status, contentType: JSONResponse.contentType, body: try JSONResponse.body(value), noStore: partial,
            headers: partial ? [.cacheControl: "no-store"] : [:]
        )
    }

    /// The response a caller gets: this answer with its `X-Cache` and `Age`.
    func response(xCache: CacheOutcome, age: Int) -> Response {
        Response(status: status, headers: Self.headers(head, xCache: xCache, age: age), body: ResponseBody(byteBuffer: body))
    }

    /// The response of a read the cache does not handle (a list that names an unknown connection,
    /// answered with its error): no `X-Cache`, no `Age`.
    var uncachedResponse: Response {
        Response(status: status, headers: head, body: ResponseBody(byteBuffer: body))
    }

    /// `head` with `X-Cache` and `Age`, with room for what the server adds after (`X-Request-Id`,
    /// `Date`, `Server`), so the fields are not regrown on the way out.
    static func headers(_ head: HTTPFields, xCache: CacheOutcome, age: Int) -> HTTPFields {
        var fields = head
        fields.reserveCapacity(head.count + 5)
        fields.append(xCache.field)
        fields.append(HTTPField(name: .age, value: String(age)))
        return fields
    }

    /// `Content-Type` and `Content-Length`, then `extra`. A field checks its value when made: the usual
    /// content type is checked once, not per answer.
    static func head(contentType: String, length: Int, extra: HTTPFields = [:]) -> HTTPFields {
        var fields = HTTPFields()
        fields.reserveCapacity(2 + extra.count)
        fields.append(contentType == JSONResponse.contentType ? jsonContentType : HTTPField(name: .contentType, value: contentType))
        fields.append(HTTPField(name: .contentLength, value: String(length)))
        fields.append(contentsOf: extra)
        return fields
    }

    private static let jsonContentType = HTTPField(name: .contentType, value: JSONResponse.contentType)
}

/// What the cache did for an answer: the `X-Cache` header and the `flowgate_cache_events_total` result.
enum CacheOutcome: String, Sendable {
    case hit = "HIT"
    case miss = "MISS"
    case stale = "STALE"
    case bypass = "BYPASS"

    /// The header field, made once per outcome.
    var field: HTTPField {
        switch self {
        case .hit: Self.hitField
        case .miss: Self.missField
        case .stale: Self.staleField
        case .bypass: Self.bypassField
        }
    }

    private static let hitField = HTTPField(name: .xCache, value: "HIT")
    private static let missField = HTTPField(name: .xCache, value: "MISS")
    private static let staleField = HTTPField(name: .xCache, value: "STALE")
    private static let bypassField = HTTPField(name: .xCache, value: "BYPASS")
}

extension HTTPField.Name {
    static let xCache = Self("X-Cache")!
}
