import Hummingbird
import NIOCore

/// Liveness, readiness, metrics and the schema: no key needed, nothing upstream touched.
enum SystemHandlers {
    static func healthz(_ request: Request, _ context: GatewayRequestContext) throws -> Response {
        try JSONResponse.make(.ok, ["status": "ok"])
    }

    static func readyz(_ services: GatewayServices) -> @Sendable (Request, GatewayRequestContext) async throws -> Response {
        { _, _ in
            services.readiness.isDraining
                ? try JSONResponse.make(.serviceUnavailable, ["status": "draining"])
                : try JSONResponse.make(.ok, ["status": "ready"])
        }
    }

    static func metrics(_ services: GatewayServices) -> @Sendable (Request, GatewayRequestContext) async throws -> Response {
        { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: services.metrics.exposition()))
            )
        }
    }

    static func openAPI(_ services: GatewayServices) -> @Sendable (Request, GatewayRequestContext) async throws -> Response {
        let document = ByteBuffer(bytes: services.openAPIDocument)
        return { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: document))
        }
    }
}
