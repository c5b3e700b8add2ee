import FlowgateCore
import FlowgateProviders
import Testing

@testable import FlowgateServer

/// The Cloudflare and Workingflow route tables load, give every route the adapters call, and cache
/// only reads.
@Suite struct CloudflareRouteTableTests {
    @Test(arguments: [ProviderKind.cloudflare, .workingflow]) func routeTablesCoverTheAdapters(kind: ProviderKind) throws {
        let table = try #require(try RouteTableLoader.loadAll()[kind])
        #expect(table.problems(requiring: ProviderAdapters.requiredRoutes(kind)).isEmpty)
        #expect(Set(table.routes.keys) == Set(ProviderAdapters.requiredRoutes(kind).keys))
        for (name, route) in table.routes {
            #expect(route.buckets == (kind == .bitrix24 ? ["default", "portal"] : ["default"]), "\(name)")
            if route.method != "GET" || name == "download_file" { #expect(route.cacheTTLSeconds == 0, "\(name)") }
        }
        if kind == .cloudflare {
            #expect((2...5).contains(table.routes["get_instance"]?.cacheTTLSeconds ?? 0))
            #expect((2...5).contains(table.routes["list_instances"]?.cacheTTLSeconds ?? 0))
        } else {
            #expect(table.routes["list_definitions"]?.cacheTTLSeconds == 30)
        }
    }
}
