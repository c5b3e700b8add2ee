import FlowgateCore
import FlowgateProviders
import HTTPTypes

/// Where a native call goes and what it spends: its checked path, whether the allow-list admits it, and
/// the buckets it draws from — those the route table names for that method and path, else the
/// provider's native default for reads or writes.
struct NativeTarget: Sendable {
    let path: NativePath
    /// The route-table route for this method and path, when the table has one.
    let route: ProviderRoutes.Route?
    let buckets: [String]

    /// The target of `rawPath` (the whole request path, escapes as sent) on `connection`: `400` for a
    /// path that could be read two ways, `403` naming the rules for one outside the allow-list.
    static func resolve(
        rawPath: String, connectionSegment: String, method: HTTPRequest.Method, connection: ConnectionConfig, rules: NativeRules,
        table: ProviderRoutes
    ) throws -> NativeTarget {
        // The router ignores empty segments, so the prefix is checked as sent: `//` before the native part is refused too.
        let prefix = "/v1/connections/\(connectionSegment)/native"
        guard rawPath.hasPrefix(prefix + "/") else { throw GatewayError.invalid("path", "has an empty segment") }
        let path = try NativePath.parse(rawPath.dropFirst(prefix.utf8.count))
        guard rules.allowed(path.segments, account: connection.accountID) != nil else { throw refusal(rules) }
        let isRead = method == .get || method == .head
        let route = Self.route(for: isRead ? "GET" : method.rawValue, path: path, table: table, account: connection.accountID)
        return NativeTarget(path: path, route: route, buckets: route?.buckets ?? (isRead ? rules.readBuckets : rules.writeBuckets))
    }

    /// `403 FORBIDDEN` naming the rules, without the path asked (it is the caller's, and may be anything).
    static func refusal(_ rules: NativeRules) -> GatewayError {
        var list = rules.allow.map(\.description).joined(separator: ", ")
        if rules.allow.contains(where: { $0.segments.contains(.account) }) { list += " ({account_id} is this connection's own account)" }
        return GatewayError(
            .forbidden, "Native calls on this connection may reach only \(list); this path is outside that list",
            provider: rules.provider, details: [.init(field: "path", issue: "outside the native allow-list: \(list)")]
        )
    }

    /// The first route (by name) whose method and path template fit; `{account_id}` must be the
    /// connection's, any other placeholder takes one segment.
    static func route(for method: String, path: NativePath, table: ProviderRoutes, account: String?) -> ProviderRoutes.Route? {
        table.routes.sorted { $0.key < $1.key }.first { _, route in
            guard route.method == method else { return false }
            let template = route.path.split(separator: "/")
            guard template.count == path.segments.count else { return false }
            return zip(template, path.segments).allSatisfy { pattern, segment in
                if pattern == "{account_id}" { return segment == account }
                if pattern.hasPrefix("{") && pattern.hasSuffix("}") { return true }
                return pattern == segment
            }
        }?.value
    }
}
