import FlowgateCore
import NIOHTTP1

/// What the gateway refuses about a request head before routing, where the HTTP/1 facts Hummingbird's
/// request no longer carries are still visible: the request-target's form, every `Host` line.
///
/// - `CONNECT` asks for a tunnel: `405`. The gateway is not a proxy, and NIO's decoder stops parsing
///   the connection after a `CONNECT` head, so the answer closes it.
/// - An absolute-form or authority-form target (`GET http://other.example/v1/…`) is a forward-proxy
///   request: `400`. Answering it from the path alone would let the target's host and the `Host`
///   header disagree about which site was asked, the root of request-routing confusion between a
///   front proxy and the gateway. (RFC 9112 §3.2.2 asks origin servers to accept the absolute form;
///   a gateway only ever reached through its own load balancer does not need to, and refusing is
///   the safer side.) `OPTIONS *` passes to the router.
/// - RFC 9112 §3.2: an HTTP/1.1 request without `Host`, or any request with more than one `Host`
///   line, is `400`. Hummingbird's request keeps only the first `Host`.
enum RequestHeadCheck {
    /// A refusal: the canonical error and any header that must go with it (`Allow`).
    struct Refusal: Sendable, Equatable {
        var error: GatewayError
        var headers: [(name: String, value: String)] = []

        static func == (lhs: Refusal, rhs: Refusal) -> Bool {
            lhs.error == rhs.error && lhs.headers.map(\.name) == rhs.headers.map(\.name) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
        }
    }

    /// The refusal of `head`, or nil when it may go on to the router. `allowedMethods` is what `Allow`
    /// lists on a `405` (the methods the gateway serves anywhere).
    static func refusal(of head: HTTPRequestHead, allowedMethods: String) -> Refusal? {
        if head.method == .CONNECT {
            return Refusal(
                error: GatewayError(
                    .methodNotAllowed, "Method CONNECT is not allowed: Flowgate is an API gateway, not a proxy",
                    details: [.init(field: nil, issue: "CONNECT is not supported")]
                ),
                headers: [("Allow", allowedMethods)]
            )
        }
        let isAsteriskForm = head.method == .OPTIONS && head.uri == "*"
        if !head.uri.hasPrefix("/") && !isAsteriskForm {
            return invalid("The request target must be a path such as /v1/instances; Flowgate is not a forward proxy", "request target is not a path")
        }
        let hosts = head.headers["host"].count
        if hosts > 1 {
            return invalid("The request has \(hosts) Host headers; exactly one is allowed (RFC 9112 §3.2)", "more than one Host header")
        }
        if hosts == 0, !predatesHTTP11(head.version) {
            return invalid("HTTP/1.1 requests need a Host header (RFC 9112 §3.2)", "Host header missing")
        }
        return nil
    }

    /// The refusal of a request whose bytes are not HTTP/1 (the decoder's error before or between requests).
    static func malformed(_ error: HTTPParserError) -> Refusal {
        invalid("The request is not well-formed HTTP/1.1 (\(error))", "malformed HTTP message")
    }

    /// Whether the connection must close after the answer to `head`: HTTP/1.0 (keep-alive there is an
    /// optional extension the gateway does not offer) or `Connection: close` in any spelling.
    static func closesAfterAnswer(_ head: HTTPRequestHead) -> Bool {
        predatesHTTP11(head.version) || !head.isKeepAlive
    }

    static func predatesHTTP11(_ version: HTTPVersion) -> Bool {
        version.major < 1 || (version.major == 1 && version.minor < 1)
    }

    private static func invalid(_ message: String, _ issue: String) -> Refusal {
        Refusal(error: GatewayError(.invalidRequest, message, details: [.init(field: nil, issue: issue)]))
    }
}
