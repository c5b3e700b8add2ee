import FlowgateCore
import FlowgateProviders
import FlowgateRouteFiles
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// Builds the gateway from validated config: the one function both `flowgate serve` and the tests use.
/// `hitPath: false` leaves every request to the router (tests compare the two paths' answers).
///
/// ```swift
/// let app = try buildApplication(config: try ConfigLoader().load(path: "Config/demo.yaml"), logger: logger)
/// try await app.runService()
/// ```
public func buildApplication(
    config: GatewayConfig, logger: Logger, metrics: GatewayMetrics = GatewayMetrics(), readiness: Readiness = Readiness(),
    clock: any GatewayClock = SystemClock(), reload: ReloadOptions? = nil, hitPath: Bool = true,
    onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    let serverName = "flowgate"
    let services = try GatewayServices.make(config: config, logger: logger, metrics: metrics, readiness: readiness, clock: clock)
    metrics.setConfigGeneration(services.current.number, loadedAt: clock.date)
    var background: [any Service] = [services.upstream] + (services.cluster.map { [$0] } ?? [])
    if let reload {
        let reloader = ConfigReloader(source: reload.source, services: services, logger: logger)
        let interval = config.server.configWatchInterval
        background.append(
            ConfigWatcher(
                reloader: reloader, interval: interval > .zero ? interval : nil, reloadsOnSignal: reload.reloadsOnSignal, clock: clock
            )
        )
    }
    return Application(
        responder: RequestTaskResponder(inner: buildRouter(services).buildResponder()),
        server: GatewayHTTP1Channel.builder(
            configuration: .init(idleTimeout: .nanoseconds(config.server.idleTimeout.nanoseconds)), allowedMethods: CanonicalRoutes.allowedMethods,
            hits: hitPath ? services.hitPath(serverName: serverName, logger: logger) : nil
        ),
        // A gateway takes bursts of new connections (a fleet of clients reconnecting at once): a listen
        // backlog of 1024 instead of Hummingbird's 256, so a burst is queued rather than refused.
        configuration: ApplicationConfiguration(
            address: .hostname(config.server.host, port: config.server.port), serverName: serverName, backlog: 1024
        ),
        // Application stops its services after the server has drained: in-flight requests keep their client.
        services: background,
        // The bound port, which differs from the configured one when that is 0 (tests, `flowgate demo`).
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? config.server.port) },
        logger: logger
    )
}

/// How a running gateway reloads its config (`flowgate serve`; nil: it does not).
public struct ReloadOptions: Sendable {
    /// Where the config is read again from.
    public var source: ConfigSource
    /// Whether `SIGHUP` reloads. Files named by the source are also watched every
    /// `server.config_watch_interval_s` unless that is 0.
    public var reloadsOnSignal: Bool

    public init(source: ConfigSource, reloadsOnSignal: Bool = true) {
        self.source = source
        self.reloadsOnSignal = reloadsOnSignal
    }
}

/// The request path of docs/architecture.md, built once: router-wide middleware, then per route its
/// auth scope and query rules, then the handler — through the response cache for canonical reads.
func buildRouter(_ services: GatewayServices) -> Router<GatewayRequestContext> {
    let router = Router(context: GatewayRequestContext.self)
    router.addMiddleware {
        RequestTelemetryMiddleware(metrics: services.metrics)
        ErrorEnvelopeMiddleware(native: services.native)
        GenerationMiddleware(store: services.generations)
        MethodNotAllowedMiddleware(routes: CanonicalRouteIndex(CanonicalRoutes.all))
        RequestLimitsMiddleware()
    }
    let handlers = RouteHandlers(services: services)
    for spec in CanonicalRoutes.all {
        let group = router.group()
        if let scope = spec.scope {
            group.add(middleware: AuthMiddleware(scope: scope))
            group.add(middleware: InboundLimitMiddleware(limiter: services.inboundLimits))
        }
        if !spec.acceptsAnyQuery { group.add(middleware: QueryValidationMiddleware(spec: spec)) }
        let responder: @Sendable (Request, GatewayRequestContext) async throws -> Response =
            switch spec.handler(handlers) {
            case .plain(let handle): { request, context in try await scoped(services.clock, context) { try await handle(request, context) } }
            case .read(let operation, let handle): cached(operation, services, handle)
            }
        group.on(RouterPath(spec.path), method: spec.method, use: responder)
    }
    return router
}

/// Runs `body` with the request's ``RequestScope``: adapters and transports log under the request's id
/// and spend from its one deadline without taking either through every API. Set inside the cache, so
/// a hit does not pay for it.
private func scoped<Value: Sendable>(
    _ clock: any GatewayClock, _ context: GatewayRequestContext, _ body: () async throws -> Value
) async throws -> Value {
    let requestTimeout = try context.requireGeneration().config.server.requestTimeout
    let scope = RequestScope(logger: context.logger, deadline: RequestDeadline(startingAt: clock.now, timeout: requestTimeout))
    return try await RequestScope.$current.withValue(scope) { try await body() }
}

/// A canonical read: resolved once, then answered from the response cache or by its handler's fill.
private func cached(
    _ operation: CanonicalOperation, _ services: GatewayServices,
    _ handle: @escaping @Sendable (Request, GatewayRequestContext, ResolvedRead) async throws -> CanonicalAnswer
) -> @Sendable (Request, GatewayRequestContext) async throws -> Response {
    { request, context in
        let read = try ResolvedRead.resolve(operation, request, context)
        guard let lookup = read.lookup else {
            return try await scoped(services.clock, context) { try await handle(request, context, read) }.uncachedResponse
        }
        // A fresh hit is answered before the miss path's closure (which captures the request) exists.
        let stored = await services.cache.stored(lookup)
        if let stored, let hit = services.cache.hit(stored) { return hit }
        return try await services.cache.serve(lookup, stored: stored) {
            try await scoped(services.clock, context) { try await handle(request, context, read) }
        }
    }
}
