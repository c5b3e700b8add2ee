import AsyncHTTPClient
import FlowgateCore
import NIOHTTP1

/// Hard caps on what Flowgate hands the upstream client, checked before AsyncHTTPClient sees a request.
///
/// Every caller-supplied length is bounded where it is read (``InputBounds``), but an upstream request
/// is built from several of them, percent-encoded (up to three bytes per byte), under a base URL and
/// a route template. These caps bound the result whatever the combination: no request line or
/// header block over 8 KiB is ever sent. That is the smallest request-line limit common servers and
/// proxies apply (nginx `large_client_header_buffers` 8k, Apache `LimitRequestLine` 8190), so
/// nothing an upstream could accept is refused; and AsyncHTTPClient 1.37.0 was seen to stop the
/// process on a precondition (`IdleReadStateMachine.requestEndSent`) when an upstream answered a
/// 78 KB request head before it was fully written.
enum UpstreamRequestLimits {
    /// Longest request target (path and query, as sent) in bytes.
    static let maxTargetBytes = 8192
    /// Largest header block in bytes, counting `name: value\r\n` for each field.
    static let maxHeaderBytes = 8192

    enum Violation: Sendable, Equatable {
        case target(bytes: Int)
        case headers(bytes: Int)
    }

    /// What, if anything, is over a cap in a request to `url` with `headers`.
    static func violation(url: String, headers: HTTPHeaders) -> Violation? {
        let target = targetBytes(of: url)
        if target > maxTargetBytes { return .target(bytes: target) }
        let headerBytes = headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 }
        if headerBytes > maxHeaderBytes { return .headers(bytes: headerBytes) }
        return nil
    }

    /// The bytes of the request target AsyncHTTPClient will send for `url`: everything after the
    /// authority (the base URL's own path included), or `/` when there is nothing.
    static func targetBytes(of url: String) -> Int {
        var url = url
        return url.withUTF8 { bytes in
            // After the first "://" (a plain scan: the generic `firstRange(of:)` cost more than the call's
            // URL building), the target is everything from the first "/" or "?" on.
            var start = 0
            if bytes.count >= 3 {
                for index in 0...(bytes.count - 3)
                where bytes[index] == UInt8(ascii: ":") && bytes[index + 1] == UInt8(ascii: "/") && bytes[index + 2] == UInt8(ascii: "/") {
                    start = index + 3
                    break
                }
            }
            guard let slash = bytes[start...].firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") }) else { return 1 }
            return bytes.count - slash
        }
    }

    /// Nothing, or the canonical error for a request over a cap: `414 URI_TOO_LONG` when the target
    /// is (the caller's ids, names and filters made it), `502 UPSTREAM_ERROR` when the headers are —
    /// they hold only credentials, configured values and what an upstream issued (a session token),
    /// never anything of the caller's, so the caller cannot fix it and the operator must look.
    static func check(_ request: HTTPClientRequest, connection: String, provider: ProviderKind) throws(GatewayError) {
        switch violation(url: request.url, headers: request.headers) {
        case nil:
            return
        case .target(let bytes)?:
            throw GatewayError(
                .uriTooLong, "The \(provider.rawValue) request would have a \(bytes)-byte target; at most \(maxTargetBytes) bytes are sent",
                connection: connection, provider: provider,
                details: [.init(field: nil, issue: "upstream request target longer than \(maxTargetBytes) bytes")]
            )
        case .headers(let bytes)?:
            throw GatewayError(
                .upstreamError, "The \(provider.rawValue) request would carry \(bytes) bytes of headers; at most \(maxHeaderBytes) are sent",
                connection: connection, provider: provider
            )
        }
    }
}
