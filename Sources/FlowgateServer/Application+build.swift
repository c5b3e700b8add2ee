import FlowgateCore
import FlowgateRouteFiles
import Foundation
import Hummingbird
import Logging

/// Builds the gateway from validated config: the one function both `flowgate serve` and the tests use.
///
/// ```swift
/// let app = try buildApplication(config: try ConfigLoader().load(path: "Config/demo.yaml"), logger: logger)
/// try await app.runService()
/// ```
public func buildApplication(
    config: GatewayConfig, logger: Logger, metrics: GatewayMetrics = GatewayMetrics(), readiness: Readiness = Readiness(),
    onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    let upstream = UpstreamClient(settings: config.server, logger: logger)
    let services = GatewayServices(
        config: config,
        directory: TenantDirectory(config: config),
        cursors: CursorSealer(secret: cursorSecret(config, logger: logger)),
        metrics: metrics,
        upstream: upstream,
        readiness: readiness,
        openAPIDocument: Array(try RouteFiles.openAPIDocument())
    )
    return Application(
        router: buildRouter(services),
        server: .http1(configuration: .init(idleTimeout: .nanoseconds(config.server.idleTimeout.nanoseconds))),
        configuration: ApplicationConfiguration(
            address: .hostname(config.server.host, port: config.server.port), serverName: "flowgate"
        ),
        // Application stops its services after the server has drained: in-flight requests keep their client.
        services: [upstream],
        // The bound port, which differs from the configured one when that is 0 (tests, `flowgate demo`).
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? config.server.port) },
        logger: logger
    )
}

/// The pipeline of DESIGN §3, built once: router-wide middleware, then per route its auth scope and
/// query rules, then the handler.
func buildRouter(_ services: GatewayServices) -> Router<GatewayRequestContext> {
    let router = Router(context: GatewayRequestContext.self)
    router.addMiddleware {
        RequestIDMiddleware()
        AccessLogMiddleware()
        HTTPMetricsMiddleware(metrics: services.metrics)
        ErrorEnvelopeMiddleware()
        MethodNotAllowedMiddleware(routes: RouteIndex(RouteTable.all))
        RequestLimitsMiddleware(maxURIBytes: services.config.server.maxURIBytes, maxBodyBytes: services.config.server.maxBodyBytes)
    }
    let instances = InstanceRoutes(services: services)
    for spec in RouteTable.all {
        let group = router.group()
        if let scope = spec.scope { group.add(middleware: AuthMiddleware(directory: services.directory, scope: scope)) }
        group.add(middleware: QueryValidationMiddleware(spec: spec))
        group.on(RouterPath(spec.path), method: spec.method, use: handler(for: spec.name, services, instances))
    }
    return router
}

private func handler(
    for name: RouteSpec.Name, _ services: GatewayServices, _ instances: InstanceRoutes
) -> @Sendable (Request, GatewayRequestContext) async throws -> Response {
    switch name {
    case .healthz: SystemRoutes.healthz
    case .readyz: SystemRoutes.readyz(services)
    case .metrics: SystemRoutes.metrics(services)
    case .openapi: SystemRoutes.openAPI(services)
    case .connections: ConnectionRoutes.list
    case .definitions: instances.listDefinitions
    case .listInstances: instances.listInstances
    case .startInstance: instances.start
    case .getInstance: instances.get
    case .cancel: instances.cancel
    case .pause: instances.changeState(.pauseInstance)
    case .resume: instances.changeState(.resumeInstance)
    case .restart: instances.changeState(.restartInstance)
    case .sendEvent: instances.sendEvent
    case .timeline: instances.read(.getTimeline)
    case .data: instances.read(.getData)
    case .file: instances.file
    }
}

/// The configured cursor secret, or a random one for this process alone (with a warning: cursors then
/// die with the process and do not work across replicas).
private func cursorSecret(_ config: GatewayConfig, logger: Logger) -> String {
    if let secret = config.server.cursorSecret { return secret.value }
    logger.warning("server.cursor_secret is not set: list cursors will not survive a restart or work across replicas")
    return KeyHash.generateKey()
}
