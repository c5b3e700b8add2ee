import FlowgateCore

/// A provider's route table (`Routes/<provider>.yaml`): per call, the upstream method and path, the
/// limiter buckets and the cache TTL, plus the buckets' default limits. Read once at start-up; adapters
/// look calls up here instead of repeating paths in code.
public struct ProviderRoutes: Sendable {
    public struct Route: Sendable, Hashable {
        public var method: String
        /// Path template relative to the base URL; `{name}` placeholders are filled per call.
        public var path: String {
            didSet { segments = Self.segments(of: path) }
        }
        /// `path` split once, for ``ProviderRoutes/call(_:_:)``: splitting the template on every upstream
        /// call was most of the call's cost.
        var segments: [Segment]

        enum Segment: Sendable, Hashable {
            case literal(String)
            case placeholder(String)
        }
        /// The buckets a call draws from, all of them at once. The first is the route's own: the one
        /// the upstream's rate-limit headers describe and a refusal names.
        public var buckets: [String]
        /// Seconds a successful read may be served from the gateway's cache; 0 = never cached.
        public var cacheTTLSeconds: Int

        public init(method: String, path: String, buckets: [String], cacheTTLSeconds: Int = 0) {
            self.method = method
            self.path = path
            self.segments = Self.segments(of: path)
            self.buckets = buckets
            self.cacheTTLSeconds = cacheTTLSeconds
        }

        public init(method: String, path: String, bucket: String, cacheTTLSeconds: Int = 0) {
            self.init(method: method, path: path, buckets: [bucket], cacheTTLSeconds: cacheTTLSeconds)
        }

        /// The names of the path's `{placeholders}`, in order.
        public var placeholders: [String] {
            segments.compactMap { segment in
                if case .placeholder(let name) = segment { name } else { nil }
            }
        }

        /// The segments after the leading `/` (empty ones kept: `a//b` stays as written).
        private static func segments(of path: String) -> [Segment] {
            path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { segment in
                segment.hasPrefix("{") && segment.hasSuffix("}")
                    ? .placeholder(String(segment.dropFirst().dropLast())) : .literal(String(segment))
            }
        }
    }

    public var provider: ProviderKind
    public var routes: [String: Route]
    /// Each bucket's default limit and scope; a connection's `limits:` may override the limit.
    public var buckets: [String: BucketSpec]

    public init(provider: ProviderKind, routes: [String: Route], buckets: [String: BucketSpec]) {
        self.provider = provider
        self.routes = routes
        self.buckets = buckets
    }

    /// Builds the call for route `name`, filling each `{placeholder}` with its percent-encoded value.
    ///
    /// Route names and placeholders are checked against each adapter's needs at start-up
    /// (``ProviderRouteRequirements``), so a miss here is a bug, reported as `500 INTERNAL`.
    public func call(_ name: String, _ parameters: [String: String] = [:]) throws -> UpstreamCall {
        guard let route = routes[name] else {
            throw GatewayError(.internalError, "The \(provider.rawValue) route table has no route \(name)")
        }
        var path = ""
        for segment in route.segments {
            path += "/"
            switch segment {
            case .placeholder(let key):
                guard let value = parameters[key] else {
                    throw GatewayError(.internalError, "Route \(name) of \(provider.rawValue) needs {\(key)}")
                }
                // The canonical routes refuse these already; this keeps any other way in from reaching the wire.
                if PathSegment.isDotSegment(value) {
                    throw GatewayError(
                        .invalidRequest, "Invalid request: '.' and '..' are path navigation, not names", provider: provider,
                        details: [.init(field: nil, issue: "an id or name is '.' or '..'")]
                    )
                }
                path += PathSegment.encode(value)
            case .literal(let text):
                path += text
            }
        }
        let isRead = route.method == "GET" || route.method == "HEAD"
        return UpstreamCall(route: name, method: route.method, path: path, buckets: route.buckets, isRead: isRead)
    }

    /// Problems of this table against what an adapter needs, in words for a start-up error.
    public func problems(requiring required: [String: Set<String>]) -> [String] {
        var problems: [String] = []
        for (name, placeholders) in required.sorted(by: { $0.key < $1.key }) {
            guard let route = routes[name] else {
                problems.append("routes.\(name): missing")
                continue
            }
            let present = Set(route.placeholders)
            if present != placeholders {
                problems.append("routes.\(name).path: expected placeholders \(placeholders.sorted()), found \(present.sorted())")
            }
        }
        for (name, route) in routes.sorted(by: { $0.key < $1.key }) {
            if route.buckets.isEmpty { problems.append("routes.\(name): names no bucket") }
            if Set(route.buckets).count != route.buckets.count { problems.append("routes.\(name).buckets: a bucket is named twice") }
            for bucket in route.buckets where buckets[bucket] == nil {
                problems.append("routes.\(name).bucket: '\(bucket)' is not a bucket of this table")
            }
        }
        return problems
    }
}

/// RFC 3986 path-segment encoding: everything but unreserved characters is percent-encoded, so a
/// native id can never add a segment, a query or a fragment to an upstream URL (a `/` or `\` inside a
/// value travels as `%2F` / `%5C`).
public enum PathSegment {
    public static func encode(_ value: String) -> String {
        let encoded = PercentEncoding.encode(value)
        // "." and ".." are path navigation, not names; callers refuse them (``isDotSegment(_:)``), and
        // encoding them anyway keeps a missed one from navigating.
        if encoded == "." { return "%2E" }
        if encoded == ".." { return "%2E%2E" }
        return encoded
    }

    /// Whether decoded text is `.` or `..`. Percent-encoding them (`%2E%2E`) does not help: RFC 3986
    /// §6.2.2.2 lets any proxy or server on the way decode unreserved characters and then remove dot
    /// segments, so `/files/%2E%2E` can become the parent of `/files/`.
    public static func isDotSegment(_ text: some StringProtocol) -> Bool {
        text.utf8.elementsEqual(".".utf8) || text.utf8.elementsEqual("..".utf8)
    }

    /// Whether any `:`-separated part of a native id is `.` or `..`: providers put those parts in
    /// upstream paths, one segment each (Cloudflare's `<workflow>:<instance>`).
    /// One pass over the bytes, no parts built (every canonical id is checked on every request).
    @inlinable public static func hasDotPart(_ native: some StringProtocol) -> Bool {
        var length = 0
        var onlyDots = true
        for byte in native.utf8 {
            if byte == UInt8(ascii: ":") {
                if onlyDots && (length == 1 || length == 2) { return true }
                length = 0
                onlyDots = true
            } else {
                length += 1
                onlyDots = onlyDots && byte == UInt8(ascii: ".")
            }
        }
        return onlyDots && (length == 1 || length == 2)
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
public enum PercentEncoding {
    /// Uppercase hex, as Foundation writes it. Most values (ids, names, numbers) need no encoding and
    /// come back as they are.
    public static func encode(_ value: String) -> String {
        guard value.utf8.contains(where: { !isUnreserved($0) }) else { return value }
        var encoded: [UInt8] = []
        encoded.reserveCapacity(value.utf8.count * 3)
        for byte in value.utf8 {
            if isUnreserved(byte) {
                encoded.append(byte)
            } else {
                encoded.append(UInt8(ascii: "%"))
                encoded.append(upperHex[Int(byte >> 4)])
                encoded.append(upperHex[Int(byte & 0xF)])
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    private static let upperHex: [UInt8] = Array("0123456789ABCDEF".utf8)

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default: false
        }
    }
}
