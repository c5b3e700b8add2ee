import FlowgateCore
import FlowgateProviders
import Hummingbird

/// Every route the gateway serves, as data: registration, 405 answers, query validation, the
/// router/spec parity test and each route's handler all come from this one table, so adding a route
/// is one entry.
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
    /// The route's handler, made once at start-up from the handler sets.
    var handler: @Sendable (RouteHandlers) -> RouteHandler
}

/// What serves a canonical route.
enum RouteHandler: Sendable {
    /// A route answered its own way: operational routes, writes, streamed files, the native passthrough.
    case plain(@Sendable (Request, GatewayRequestContext) async throws -> Response)
    /// A canonical read of upstream data: resolved once (``ResolvedRead``) and answered as bytes that
    /// the response cache keeps.
    case read(CanonicalOperation, @Sendable (Request, GatewayRequestContext, ResolvedRead) async throws -> CanonicalAnswer)
}

/// The handler sets routes take their handlers from, made once at start-up.
struct RouteHandlers: Sendable {
    let services: GatewayServices
    let instances: InstanceHandlers
    let lists: ListHandlers

    init(services: GatewayServices) {
        self.services = services
        self.instances = InstanceHandlers(services: services)
        self.lists = ListHandlers(services: services)
    }
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
            CanonicalRoute(name: .healthz, method: .get, path: "/healthz") { _ in .plain(SystemHandlers.healthz) },
            CanonicalRoute(name: .readyz, method: .get, path: "/readyz") { .plain(SystemHandlers.readyz($0.services)) },
            CanonicalRoute(name: .metrics, method: .get, path: "/metrics") { .plain(SystemHandlers.metrics($0.services)) },
            CanonicalRoute(name: .openapi, method: .get, path: "/v1/openapi.yaml") { .plain(SystemHandlers.openAPI($0.services)) },
            CanonicalRoute(name: .connections, method: .get, path: "/v1/connections", scope: .read) { .plain(ConnectionHandlers.list($0.services)) },
            CanonicalRoute(
                name: .definitions, method: .get, path: "/v1/definitions", scope: .read,
                query: ["connection", "strict", "include"], repeatable: ["connection"]
            ) { .read(.listDefinitions, $0.lists.definitions) },
            CanonicalRoute(
                name: .listInstances, method: .get, path: "/v1/instances", scope: .read,
                query: ["connection", "status", "definition", "started_after", "started_before", "limit", "cursor", "strict", "include"],
                repeatable: ["connection"]
            ) { .read(.listInstances, $0.lists.instances) },
            CanonicalRoute(name: .startInstance, method: .post, path: "/v1/instances", scope: .execute) { .plain($0.instances.start) },
            CanonicalRoute(name: .getInstance, method: .get, path: "/v1/instances/{id}", scope: .read, query: ["include"]) {
                .read(.getInstance, $0.instances.get)
            },
            CanonicalRoute(name: .cancel, method: .post, path: "/v1/instances/{id}/cancel", scope: .execute) { .plain($0.instances.cancel) },
            CanonicalRoute(name: .pause, method: .post, path: "/v1/instances/{id}/pause", scope: .execute) {
                .plain($0.instances.changeState(.pause))
            },
            CanonicalRoute(name: .resume, method: .post, path: "/v1/instances/{id}/resume", scope: .execute) {
                .plain($0.instances.changeState(.resume))
            },
            CanonicalRoute(name: .restart, method: .post, path: "/v1/instances/{id}/restart", scope: .execute) {
                .plain($0.instances.changeState(.restart))
            },
            CanonicalRoute(name: .sendEvent, method: .post, path: "/v1/instances/{id}/events/{type}", scope: .execute) {
                .plain($0.instances.sendEvent)
            },
            CanonicalRoute(name: .timeline, method: .get, path: "/v1/instances/{id}/timeline", scope: .read) {
                .read(.getTimeline, $0.instances.timeline)
            },
            CanonicalRoute(name: .data, method: .get, path: "/v1/instances/{id}/data", scope: .read) { .read(.getData, $0.instances.data) },
            CanonicalRoute(name: .file, method: .get, path: "/v1/instances/{id}/files/{name}", scope: .read) { .plain($0.instances.file) },
        ] + native

    /// The native passthrough (docs/native.md), one route per method it forwards.
    static let native: [CanonicalRoute] = NativeHandler.methods.map { method in
        CanonicalRoute(name: .native, method: method, path: NativeHandler.template, scope: .native, acceptsAnyQuery: true) {
            .plain(NativeHandler(services: $0.services).forward)
        }
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
