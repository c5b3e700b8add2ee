import AsyncHTTPClient
import FlowgateCore
import FlowgateRouteFiles
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOFoundationEssentialsCompat
import Testing
import Yams

@testable import FlowgateServer

/// The router and `Routes/openapi.yaml` must agree on every (method, path): a route added to one and
/// not the other fails here.
struct RouterSpecParityTests {
    private static let methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    @Test func routerAndSpecServeTheSameRoutes() async throws {
        let document = try #require(try Yams.load(yaml: String(decoding: try RouteFiles.openAPIDocument(), as: UTF8.self)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: Any])
        var specRoutes: Set<String> = []
        for (path, item) in paths {
            for method in Self.methods where (item as? [String: Any])?[method] != nil {
                specRoutes.insert("\(method.uppercased()) \(path)")
            }
        }
        let services = try TestServices.make()
        // The router's catch-all `**` is the spec's `{path}`, documented as spanning segments.
        let routerRoutes = Set(
            buildRouter(services).routes.map { "\($0.method.rawValue) \($0.path.description.replacingOccurrences(of: "/**", with: "/{path}"))" }
        )
        try await services.upstream.client.shutdown()
        #expect(routerRoutes.subtracting(specRoutes).isEmpty, "routes missing from the spec")
        #expect(specRoutes.subtracting(routerRoutes).isEmpty, "spec routes the router does not serve")
        #expect(routerRoutes.count == CanonicalRoutes.all.count)
    }

    @Test func specDocumentsEveryErrorCode() throws {
        let text = String(decoding: try RouteFiles.openAPIDocument(), as: UTF8.self)
        for code in ["INVALID_REQUEST", "URI_TOO_LONG", "NOT_SUPPORTED", "UPSTREAM_AUTH_FAILED", "UPSTREAM_TIMEOUT"] {
            #expect(text.contains(code))
        }
    }

    @Test func servedSchemaIsTheFileInRoutes() async throws {
        try await TestGateway.app().test(.router) { client in
            try await client.execute(uri: "/v1/openapi.yaml", method: .get) { response in
                #expect(response.status == .ok)
                let expected = try RouteFiles.openAPIDocument()
                #expect(Data(buffer: response.body) == expected)
            }
        }
    }
}

enum TestServices {
    static func make() throws -> GatewayServices {
        let config = try TestGateway.config()
        return try GatewayServices.make(
            config: config, logger: .init(label: "t"), metrics: GatewayMetrics(), readiness: Readiness(), clock: SystemClock())
    }
}
