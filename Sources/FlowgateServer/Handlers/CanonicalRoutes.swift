import Hummingbird

/// Every route the gateway serves, as data: registration, 405 answers, query validation and the
/// router/spec parity test all read this one table.
struct CanonicalRoute: Sendable {
    enum Name: Sendable, Hashable {
        case healthz, readyz, metrics, openapi
        case connections, definitions, listInstances, startInstance, getInstance
        case cancel, pause, resume, restart, sendEvent, timeline, data, file
        case native
    }

    var name: Name
    var method: HTTPRequest.Method
    /// Router syntax: `{id}` captures one segment.
    var path: String
    /// The key scope needed; nil for the public operational routes.
    var scope: KeyConfig.Scope?
    /// Query parameters accepted; any other is `400 INVALID_REQUEST`.
    var query: Set<String> = []
    /// The subset of `query` that may repeat (`connection=a&connection=b`).
    var repeatable: Set<String> = []
    /// Any query passes, as sent (the native passthrough forwards it to the upstream).
    var acceptsAnyQuery = false
}

enum CanonicalRoutes {
    /// Every method some route serves, for the `Allow` of a `405` that concerns no path (`CONNECT`).
    static var allowedMethods: String {
        var seen: [HTTPRequest.Method] = []
        for route in all where !seen.contains(route.method) { seen.append(route.method) }
        return seen.map(\.rawValue).joined(separator: ", ")
    }

    static let all: [CanonicalRoute] =
        [
            CanonicalRoute(name: .healthz, method: .get, path: "/healthz"),
            CanonicalRoute(name: .readyz, method: .get, path: "/readyz"),
            CanonicalRoute(name: .metrics, method: .get, path: "/metrics"),
            CanonicalRoute(name: .openapi, method: .get, path: "/v1/openapi.yaml"),
            CanonicalRoute(name: .connections, method: .get, path: "/v1/connections", scope: .read),
            CanonicalRoute(
                name: .definitions, method: .get, path: "/v1/definitions", scope: .read,
                query: ["connection", "strict", "include"], repeatable: ["connection"]
            ),
            CanonicalRoute(
                name: .listInstances, method: .get, path: "/v1/instances", scope: .read,
                query: ["connection", "status", "definition", "started_after", "started_before", "limit", "cursor", "strict", "include"],
                repeatable: ["connection"]
            ),
            CanonicalRoute(name: .startInstance, method: .post, path: "/v1/instances", scope: .execute),
            CanonicalRoute(name: .getInstance, method: .get, path: "/v1/instances/{id}", scope: .read, query: ["include"]),
            CanonicalRoute(name: .cancel, method: .post, path: "/v1/instances/{id}/cancel", scope: .execute),
            CanonicalRoute(name: .pause, method: .post, path: "/v1/instances/{id}/pause", scope: .execute),
            CanonicalRoute(name: .resume, method: .post, path: "/v1/instances/{id}/resume", scope: .execute),
            CanonicalRoute(name: .restart, method: .post, path: "/v1/instances/{id}/restart", scope: .execute),
            CanonicalRoute(name: .sendEvent, method: .post, path: "/v1/instances/{id}/events/{type}", scope: .execute),
            CanonicalRoute(name: .timeline, method: .get, path: "/v1/instances/{id}/timeline", scope: .read),
            CanonicalRoute(name: .data, method: .get, path: "/v1/instances/{id}/data", scope: .read),
            CanonicalRoute(name: .file, method: .get, path: "/v1/instances/{id}/files/{name}", scope: .read),
        ] + native

    /// The native passthrough (docs/native.md), one route per method it forwards.
    static let native: [CanonicalRoute] = NativeHandler.methods.map { method in
        CanonicalRoute(name: .native, method: method, path: NativeHandler.template, scope: .native, acceptsAnyQuery: true)
    }
}

/// Which methods a concrete path is served with, for `405` and its `Allow` header.
struct CanonicalRouteIndex: Sendable {
    private let templates: [(segments: [Substring], method: HTTPRequest.Method)]

    init(_ routes: [CanonicalRoute]) {
        self.templates = routes.map { ($0.path.split(separator: "/"), $0.method) }
    }

    func methods(forPath path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/")
        return templates.filter { template in
            // `**` (last) takes one or more segments, as the router's catch-all does.
            let catchAll = template.segments.last == "**"
            let fixed = catchAll ? template.segments.dropLast() : template.segments[...]
            return (catchAll ? segments.count > fixed.count : segments.count == fixed.count)
                && zip(fixed, segments).allSatisfy { pattern, segment in
                    pattern.hasPrefix("{") || pattern == segment
                }
        }.map(\.method)
    }
}
