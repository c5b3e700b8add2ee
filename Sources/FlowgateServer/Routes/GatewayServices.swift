import FlowgateCore
import Logging

/// What the route handlers share, built once from validated config by ``buildApplication(config:logger:metrics:)``.
struct GatewayServices: Sendable {
    let config: GatewayConfig
    let directory: TenantDirectory
    let cursors: CursorSealer
    let metrics: GatewayMetrics
    let upstream: UpstreamClient
    let readiness: Readiness
    let openAPIDocument: [UInt8]
}
