import FlowgateEmulators
import FlowgateServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import InMemoryLogging
import Logging
import NIOCore
import Testing

/// The Bitrix24 adapter against every shape the facade's docs leave open: template key styles and
/// document types, which path serves templates, and how `X-RateLimit-Reset` is written.
@Suite struct Bitrix24VariantTests {
    @Test(arguments: Bitrix24TemplateKeys.allCases, Bitrix24DocumentTypeShape.allCases)
    func templatesInEveryKeyStyleAndDocumentShape(keys: Bitrix24TemplateKeys, documentType: Bitrix24DocumentTypeShape) async throws {
        let metrics = GatewayMetrics()
        try await LiveStack.run(emulators: variantEmulators(bitrix24: [keys, documentType]), metrics: metrics) { _, client in
            let response = try await GeoB24.get(client, "/v1/definitions?connection=b24&include=raw")
            #expect(response.status == .ok)
            OpenAPIValidator.shared.check(response, path: "/v1/definitions", method: "get")
            let definitions = try GeoB24.items(response)
            #expect(definitions.count == 7)
            let deal = try #require(definitions.first { $0["id"] as? String == "b24:713" })
            #expect(deal["name"] as? String == "Deal approval" && deal["startable"] as? Bool == true && deal["entity_type"] as? String == "deal")
            let lists = try #require(definitions.first { $0["id"] as? String == "b24:718" })
            #expect(lists["startable"] as? Bool == false)
            let raw = try #require(deal["raw"] as? [String: Any])
            let rawType = raw[keys == .upper ? "DOCUMENT_TYPE" : "documentType"]
            #expect(documentType == .array ? (rawType as? [String])?.last == "DEAL" : rawType as? String == "DEAL")
            #expect(metrics.lines(of: "flowgate_upstream_shape_drift_total").isEmpty)
        }
    }

    /// The documented path first; on `404` the other, remembered for the connection and announced once.
    @Test(arguments: Bitrix24TemplatesRoute.allCases)
    func templatesComeFromWhicheverPathAnswers(route: Bitrix24TemplatesRoute) async throws {
        let logs = InMemoryLogHandler()
        var logger = Logger(label: "b24", factory: { _ in logs })
        logger.logLevel = .info
        try await LiveStack.run(emulators: variantEmulators(bitrix24: [route]), logger: logger) { stack, client in
            for _ in 0..<2 {
                let response = try await GeoB24.get(client, "/v1/definitions?connection=b24")
                #expect(response.status == .ok)
                #expect(try GeoB24.items(response).count == 7)
            }
            let paths = stack.emulator("bitrix24").recorder.all.map(\.path).filter { $0.hasSuffix("bizproc-templates") }
            switch route {
            case .both, .documented:
                #expect(paths == ["/v1/entities/bizproc-templates", "/v1/entities/bizproc-templates"])
            case .other:
                #expect(paths == ["/v1/entities/bizproc-templates", "/v1/bizproc-templates", "/v1/bizproc-templates"], "a 404 once, then remembered")
            }
        }
        let notices = logs.entries.filter { $0.level == .info && $0.message.description.contains("bizproc templates at") }
        #expect(notices.count == 1)
        #expect(notices.first?.message.description.contains(route == .other ? "/v1/bizproc-templates" : "/v1/entities/bizproc-templates") == true)
    }

    /// A spent platform budget stops the gateway's calls until the reset, however the reset is written.
    @Test(arguments: RateLimitResetStyle.allCases)
    func aSpentBudgetWaitsForTheResetEitherWay(style: RateLimitResetStyle) async throws {
        let emulators = variantEmulators(bitrix24: [style], bitrixLimits: .init(requestsPerMinute: 3, portalRequestsPerSecond: 1_000))
        try await LiveStack.run(emulators: emulators) { stack, client in
            for _ in 0..<3 {
                let response = try await GeoB24.get(client, "/v1/instances?connection=b24&limit=5")
                #expect(response.status == .ok, "\(String(buffer: response.body))")
            }
            let refused = try await GeoB24.get(client, "/v1/instances?connection=b24&limit=5")
            #expect(refused.status == .tooManyRequests)
            let retryAfter = try #require(refused.headers[.retryAfter].flatMap(Int.init))
            #expect((1...61).contains(retryAfter), "the window's reset, not a guess: \(retryAfter)")
            #expect(stack.emulator("bitrix24").recorder.all.filter { $0.path == "/v1/workflows" }.count == 3, "the fourth call never left")
        }
    }

    /// `force` only where the connection allows it, refused before any upstream call elsewhere.
    @Test func forceIsRefusedUnlessTheConnectionAllowsIt() async throws {
        let allowed = """
                  - name: b24f
                    provider: bitrix24
                    base_url: %URL%
                    allow_force_cancel: true
                    credentials: {api_key: \(LiveStack.Demo.bitrixAppKey), user_token: \(LiveStack.Demo.bitrixSession)}
            """
        try await LiveStack.run(
            emulators: variantEmulators(),
            config: { $0.configYAML(extraConnections: allowed.replacingOccurrences(of: "%URL%", with: $0.baseURL("bitrix24"))) }
        ) { stack, client in
            let running = try GeoB24.items(try await GeoB24.get(client, "/v1/instances?connection=b24&limit=2"))
            let natives = running.compactMap { ($0["id"] as? String)?.split(separator: ":", maxSplits: 1).last.map(String.init) }
            try #require(natives.count == 2)
            let native = natives[0]
            stack.emulator("bitrix24").recorder.clear()

            // Workingflow cannot cancel at all: that is its answer (501) whatever the body says.
            let workingflow = try await GeoB24.post(client, "/v1/instances/wf:50100/cancel", #"{"force":true}"#)
            #expect(workingflow.status == .notImplemented)
            for (connection, body) in [("b24", #"{"force":true}"#), ("cf", #"{"force":true}"#)] {
                let id = connection == "b24" ? "b24:\(native)" : connection == "cf" ? "cf:order-fulfillment:x" : "wf:50100"
                let refused = try await GeoB24.post(client, "/v1/instances/\(id)/cancel", body)
                #expect(refused.status == .badRequest, "\(connection)")
                OpenAPIValidator.shared.check(refused, path: "/v1/instances/{id}/cancel", method: "post")
                let error = try ErrorBody(refused)
                #expect(error.code == "INVALID_REQUEST" && (error.details?.first?["field"] as? String) == "force")
            }
            #expect(stack.emulator("bitrix24").recorder.all.isEmpty && stack.emulator("cloudflare").recorder.all.isEmpty)

            let soft = try await GeoB24.post(client, "/v1/instances/b24:\(native)/cancel", #"{"force":false,"reason":"dup"}"#)
            #expect(soft.status == .ok)
            let forced = try await GeoB24.post(client, "/v1/instances/b24f:\(natives[1])/cancel", #"{"force":true}"#)
            #expect(forced.status == .ok)
            let deletes = stack.emulator("bitrix24").recorder.all.filter { $0.method == .delete }
            #expect(deletes.count == 2)
            #expect(deletes.first.flatMap { GeoB24.query($0, "force") } == nil && deletes.first.flatMap { GeoB24.query($0, "status") } == "dup")
            #expect(deletes.last.flatMap { GeoB24.query($0, "force") } == "true")
        }
    }
}
