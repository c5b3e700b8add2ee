import FlowgateCore
import FlowgateProviders
import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import Testing

@testable import FlowgateServer

/// The native route's pure parts: reading paths, matching the allow-list, choosing buckets, filtering
/// headers, masking secrets.
@Suite struct NativeUnitTests {
    @Test func pathsAreDecodedOnceAndEncodedAgain() throws {
        let path = try NativePath.parse("/accounts/a1/workflows/order%20flow/instances/x%41")
        #expect(path.segments == ["accounts", "a1", "workflows", "order flow", "instances", "xA"])
        #expect(path.encoded == "/accounts/a1/workflows/order%20flow/instances/xA")
        #expect(try NativePath.parse("/processapi/list/").encoded == "/processapi/list/")
        #expect(try NativePath.parse("/processapi/list/").segments == ["processapi", "list"])
    }

    @Test(arguments: [
        "/accounts/../x", "/accounts/./x", "/a/%2e%2e/b", "/a/%2E/b", "/a/b%2Fc", "/a/b%2fc", "/a/b%5Cc", "/a/b\\c", "/a//b", "/a/%zz",
        "/a/%2", "/a/%252e%252e", "/a/%00", "/a/%FF", "/a/.%2e", "/a/..;/b", "/a/.;x/b", "/a/%2e%2e%3b/b",
    ])
    func ambiguousPathsAreRefused(_ raw: String) {
        let error = #expect(throws: GatewayError.self) { try NativePath.parse(Substring(raw)) }
        #expect(error?.code == .invalidRequest)
        #expect(error?.details?.first?.field == "path")
    }

    @Test func patternsMatchSegmentsAndTheConnectionsAccountOnly() throws {
        let pattern = try NativeRules.Pattern.parse("/accounts/{account_id}/workflows/**").get()
        #expect(pattern.matches(["accounts", "a1", "workflows"], account: "a1"))
        #expect(pattern.matches(["accounts", "a1", "workflows", "w", "instances"], account: "a1"))
        #expect(!pattern.matches(["accounts", "b2", "workflows"], account: "a1"))
        #expect(!pattern.matches(["accounts", "a1", "workflowsx"], account: "a1"))
        #expect(!pattern.matches(["accounts", "a1", "workflows"], account: nil))
        #expect(!pattern.matches(["zones", "z1", "dns_records"], account: "a1"))
        #expect(pattern.hasShape(of: ["accounts", "whoever", "workflows", "x"]))
        let one = try NativeRules.Pattern.parse("/v1/*/start").get()
        #expect(one.matches(["v1", "workflows", "start"], account: nil) && !one.matches(["v1", "start"], account: nil))
        for bad in ["v1/x", "/a/**/b", "/a//b", "/a/{id}", "/a/x*", "/a/..", "/a/%2F"] {
            #expect((try? NativeRules.Pattern.parse(bad).get()) == nil, "\(bad)")
        }
    }

    @Test func theShippedRulesLoadAndKeepToTheWorkflowAPIs() throws {
        let rules = try NativeRulesLoader.loadAll(routes: try RouteTableLoader.loadAll())
        let cloudflare = try #require(rules[.cloudflare])
        #expect(cloudflare.allowed(["accounts", "acc", "workflows", "w", "instances"], account: "acc") != nil)
        #expect(cloudflare.allowed(["accounts", "other", "workflows"], account: "acc") == nil)
        #expect(cloudflare.allowed(["zones", "z", "dns_records"], account: "acc") == nil)
        #expect(cloudflare.allowed(["accounts", "acc", "workers", "scripts"], account: "acc") == nil)
        #expect(rules[.geotareas]?.allowed(["apidev", "v1", "workflow", "instances"], account: nil) != nil)
        #expect(rules[.geotareas]?.allowed(["apidev", "v1", "login"], account: nil) == nil)
        #expect(rules[.workingflow]?.allowed(["processapi", "list"], account: nil) != nil)
        #expect(rules[.workingflow]?.allowed(["admin", "api-keys"], account: nil) == nil)
        #expect(rules[.bitrix24]?.allowed(["v1", "workflows", "start"], account: nil) != nil)
        #expect(rules[.bitrix24]?.allowed(["v1", "crm.deal"], account: nil) == nil)
        // The shapes do not overlap: an error before any connection is known still finds one provider.
        for kind in ProviderKind.allCases {
            let sample = try #require(
                rules[kind]?.allow.first?.segments.map { segment -> String in
                    if case .literal(let text) = segment { return text }
                    return "x"
                })
            #expect(NativeErrorRendering.provider(shapeOf: "/v1/connections/c/native/" + sample.joined(separator: "/"), rules: rules) == kind)
        }
    }

    @Test func rulesNamingUnknownBucketsOrBadPatternsStopStartUp() {
        let yaml = Data("native:\n  allow: [\"/a/**/b\"]\n  buckets: {read: reads, write: nope}\n".utf8)
        guard case .failure(let problem) = NativeRulesLoader.parse(yaml, kind: .geotareas, buckets: ["reads"]) else {
            Issue.record("accepted")
            return
        }
        #expect(problem.problems.count == 2)
        guard case .failure = NativeRulesLoader.parse(Data("provider: geotareas\n".utf8), kind: .geotareas, buckets: []) else {
            Issue.record("a table without native: was accepted")
            return
        }
    }

    /// The route table's bucket for the method and path, else the provider's native default.
    @Test func bucketsComeFromTheRouteTable() throws {
        let tables = try RouteTableLoader.loadAll()
        let geotareas = try #require(tables[.geotareas])
        let instance = try NativePath.parse("/apidev/v1/workflow/instances/591847302948571634/cancel")
        #expect(NativeTarget.route(for: "POST", path: instance, table: geotareas, account: nil)?.buckets == ["writes"])
        let tasks = try NativePath.parse("/apidev/v1/workflow/tasks")
        #expect(NativeTarget.route(for: "GET", path: tasks, table: geotareas, account: nil) == nil)
        let cloudflare = try #require(tables[.cloudflare])
        let list = try NativePath.parse("/accounts/acc/workflows/w/instances")
        #expect(NativeTarget.route(for: "GET", path: list, table: cloudflare, account: "acc")?.cacheTTLSeconds == 3)
        #expect(NativeTarget.route(for: "GET", path: list, table: cloudflare, account: "other") == nil)
        let file = try NativePath.parse("/processapi/1/files/a.pdf")
        #expect(NativeTarget.route(for: "GET", path: file, table: try #require(tables[.workingflow]), account: nil)?.cacheTTLSeconds == 0)
    }

    @Test func headersCrossWithoutCredentialsOrHopByHopOnes() {
        let request: HTTPFields = [
            .authorization: "Bearer fgk", .cookie: "a=b", .init("X-Api-Key")!: "k", .init("X-Auth-Key")!: "g", .init("tenant")!: "t",
            .connection: "keep-alive, X-Private", .init("X-Private")!: "p", .init("Keep-Alive")!: "timeout=5", .transferEncoding: "chunked",
            .contentLength: "5", .init("Host")!: "gateway", .accept: "application/json", .init("X-Custom")!: "v", .init("X-Request-Id")!: "theirs",
        ]
        let forwarded = NativeHeaders.toUpstream(request, requestID: "ours")
        #expect(forwarded.map(\.name) == ["Accept", "X-Custom", "X-Request-Id"])
        #expect(forwarded.last?.value == "ours")

        var answer = HTTPHeaders()
        answer.add(name: "Content-Type", value: "application/json")
        answer.add(name: "Set-Cookie", value: "s=1")
        answer.add(name: "Connection", value: "close, X-Hop")
        answer.add(name: "X-Hop", value: "1")
        answer.add(name: "Transfer-Encoding", value: "chunked")
        answer.add(name: "X-Request-Id", value: "upstream-7")
        answer.add(name: "Ratelimit", value: "\"default\";r=10;t=30")
        let back = NativeHeaders.toClient(answer)
        #expect(back.map(\.name.rawName) == ["Content-Type", "X-Upstream-Request-Id", "Ratelimit"])
        #expect(back[.init("X-Upstream-Request-Id")!] == "upstream-7")
    }

    @Test func secretsEchoedInAnErrorAreMasked() {
        let body = NativeAnswer.Masking.mask(.init(string: #"{"error":"bad key wf_secret_123 (wf_secret_123)"}"#), secrets: ["wf_secret_123", "x"])
        #expect(String(buffer: body) == #"{"error":"bad key *** (***)"}"#)
    }
}
