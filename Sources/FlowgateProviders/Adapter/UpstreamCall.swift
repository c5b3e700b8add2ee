import FlowgateCore

/// One upstream HTTP request as an adapter describes it: which route of the provider's table, the
/// path already filled in and percent-encoded, query, headers (credentials included) and body.
///
/// The transport prefixes the connection's base URL, and applies the pipeline around it (deadline,
/// limiter bucket, breaker, metrics). The caller's own headers never reach here: an adapter builds
/// every call from scratch, so a caller's `Authorization` cannot be forwarded by accident.
public struct UpstreamCall: Sendable {
    /// The route-table key (`list_instances`, `login`…): names the call in metrics and logs.
    public var route: String
    public var method: String
    /// Path relative to the base URL, starting with `/`, every segment percent-encoded.
    public var path: String
    public var query: [(name: String, value: String)]
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?
    /// The limiter buckets this call draws from, all at once (`reads`; Bitrix24's `default` and
    /// `portal`). The first is the call's own: the one the upstream's rate-limit headers describe.
    public var buckets: [String]
    /// Reads may be retried and coalesced; writes never.
    public var isRead: Bool

    /// The call's own bucket (the first it draws from).
    public var bucket: String { buckets.first ?? "" }

    public init(
        route: String, method: String, path: String, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [], body: [UInt8]? = nil, buckets: [String], isRead: Bool
    ) {
        self.route = route
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.buckets = buckets
        self.isRead = isRead
    }

    public init(
        route: String, method: String, path: String, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [], body: [UInt8]? = nil, bucket: String, isRead: Bool
    ) {
        self.init(route: route, method: method, path: path, query: query, headers: headers, body: body, buckets: [bucket], isRead: isRead)
    }

    public mutating func addHeader(_ name: String, _ value: String) {
        headers.append((name, value))
    }

    public mutating func addQuery(_ name: String, _ value: String?) {
        if let value { query.append((name, value)) }
    }

    /// Sets a JSON body and its content type.
    public mutating func setJSONBody(_ value: JSONValue) throws {
        body = try CanonicalJSON.bytes(value)
        addHeader("Content-Type", "application/json")
    }
}

/// A complete upstream answer, as the transport collected it.
public struct UpstreamReply: Sendable {
    public var status: Int
    /// Header names lowercased.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    public var isSuccess: Bool { (200..<300).contains(status) }
}

/// Carries calls to one connection's upstream. Implemented by the server, which owns the HTTP client
/// and the pipeline around it; adapters only describe calls and read replies.
///
/// Errors thrown are ``GatewayError``s already in canonical form (timeout → `504`, refused → `503`…).
/// Any status comes back as a reply: judging it is the adapter's job.
public protocol UpstreamTransport: Sendable {
    func send(_ call: UpstreamCall) async throws -> UpstreamReply
}
