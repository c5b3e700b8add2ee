import FlowgateCore
import FlowgateEmulators
import FlowgateServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import InMemoryLogging
import Logging
import Testing

/// Reloads through the real server: the gateway watches its config file (every 50 ms here) and
/// applies a valid change to the next request, keeps serving on the old config when the new one is
/// bad, and keeps the state of every connection the change did not touch.
@Suite struct ConfigReloadTests {
    static let newKey = "fgk_acme_added_by_reload_0123"

    /// `configYAML` with a fast file watch, and `edit` applied to it.
    static func yaml(_ stack: LiveStack, _ edit: (String) -> String = { $0 }) -> String {
        edit(stack.configYAML(server: "  config_watch_interval_s: 0.05"))
    }

    static func temporaryFile() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("flowgate-reload-\(UUID().uuidString.prefix(8)).yaml")
    }

    /// Waits (bounded) until `key` gets `status` on `/v1/connections`.
    static func until(_ client: some TestClientProtocol, key: String, answers status: HTTPResponse.Status) async throws {
        try await eventually(timeout: .seconds(5)) {
            try await client.execute(uri: "/v1/connections", method: .get, headers: .bearer(key)) { $0.status } == status
        }
    }

    @Test func aKeyAddedByReloadWorksAndARemovedOneIsRefused() async throws {
        let file = Self.temporaryFile()
        let metrics = GatewayMetrics()
        try await LiveStack.run(metrics: metrics, reloadFrom: file, config: { Self.yaml($0) }) { stack, client in
            #expect(try await client.execute(uri: "/v1/connections", method: .get, headers: .bearer(Self.newKey)) { $0.status } == .unauthorized)
            // The read-only key goes; a new one comes.
            let next = Self.yaml(stack) { yaml in
                yaml.replacingOccurrences(
                    of: #"      - {id: ro, hash: "\#(KeyHash.configString(of: TestKeys.acmeReadOnly))", scopes: [read]}"#,
                    with: #"      - {id: added, hash: "\#(KeyHash.configString(of: Self.newKey))", scopes: [read]}"#
                )
            }
            #expect(next.contains("id: added"))
            try next.write(to: file, atomically: true, encoding: .utf8)
            let changed = ContinuousClock.now
            try await Self.until(client, key: Self.newKey, answers: .ok)
            // Two 50 ms intervals (change seen, then held still) and the next request: well under a second on
            // an idle machine; generous here because the whole suite shares the cores (the signal's
            // one-second bound is checked in ReloadUnderLoadTests, which runs alone).
            #expect(ContinuousClock.now - changed < .seconds(5), "applied soon after the change")
            #expect(
                try await client.execute(uri: "/v1/connections", method: .get, headers: .bearer(TestKeys.acmeReadOnly)) { $0.status } == .unauthorized
            )
            #expect(try await client.execute(uri: "/v1/connections", method: .get, headers: .bearer(TestKeys.acmeReadWrite)) { $0.status } == .ok)
            let text = String(decoding: metrics.exposition(), as: UTF8.self)
            #expect(text.contains(#"flowgate_config_reloads_total{result="success"} 1"#))
            #expect(text.contains("flowgate_config_generation 2"))
        }
    }

    @Test func aBadFileChangesNothingAndTheLogNamesEveryProblem() async throws {
        let file = Self.temporaryFile()
        let logs = InMemoryLogHandler()
        let logger = Logger(label: "flowgate", factory: { _ in logs })
        let metrics = GatewayMetrics()
        try await LiveStack.run(logger: logger, metrics: metrics, reloadFrom: file, config: { Self.yaml($0) }) { stack, client in
            let bad = Self.yaml(stack) { $0.replacingOccurrences(of: "upstream_timeout_s: 5.0", with: "upstream_timeout_s: -1\n  bogus_key: 1") }
            try bad.write(to: file, atomically: true, encoding: .utf8)
            try await eventually(timeout: .seconds(5)) {
                String(decoding: metrics.exposition(), as: UTF8.self).contains(#"flowgate_config_reloads_total{result="failed"} 1"#)
            }
            let problems = logs.entries.filter { $0.level == .error }.map(\.message.description)
            #expect(problems.contains { $0.contains("server.upstream_timeout_s") }, "\(problems)")
            #expect(problems.contains { $0.contains("server.bogus_key") }, "\(problems)")
            // The old config keeps serving, upstream calls included.
            let instance = try await client.canonical("/v1/instances/wf:50100", template: "/v1/instances/{id}")
            #expect(instance.status == 200)
            #expect(String(decoding: metrics.exposition(), as: UTF8.self).contains("flowgate_config_generation 1"))
        }
    }

    /// A reload that leaves the Geotareas connection as it was keeps its login session (one login in
    /// all), while the Workingflow connection it changes loses its cached answers.
    @Test func unchangedConnectionsKeepTheirStateChangedOnesLoseTheirCache() async throws {
        let file = Self.temporaryFile()
        try await LiveStack.run(reloadFrom: file, config: { Self.yaml($0) }) { stack, client in
            let geotareas = stack.emulator("geotareas")
            let geo = "/v1/instances/geo:591847302948571634"
            #expect(try await client.canonical(geo, template: "/v1/instances/{id}").status == 200)
            #expect(try await client.canonical("/v1/instances/wf:50100", template: "/v1/instances/{id}").headers[.xCacheTest] == "MISS")
            #expect(try await client.canonical("/v1/instances/wf:50100", template: "/v1/instances/{id}").headers[.xCacheTest] == "HIT")

            // Workingflow gets a TTL override (a changed connection) and a key is added (unrelated).
            let next = Self.yaml(stack) { yaml in
                yaml.replacingOccurrences(
                    of: "credentials: {api_key: \(LiveStack.Demo.workingflowKey)}\n      - name: geo",
                    with: "credentials: {api_key: \(LiveStack.Demo.workingflowKey)}\n        cache: {ttl_s: {get_instance: 60}}\n      - name: geo"
                ).replacingOccurrences(
                    of: #"      - {id: ro, hash:"#,
                    with: #"      - {id: added, hash: "\#(KeyHash.configString(of: Self.newKey))", scopes: [read]}\#n      - {id: ro, hash:"#
                )
            }
            try next.write(to: file, atomically: true, encoding: .utf8)
            try await Self.until(client, key: Self.newKey, answers: .ok)

            #expect(
                try await client.canonical("/v1/instances/wf:50100", template: "/v1/instances/{id}").headers[.xCacheTest] == "MISS",
                "the changed connection's answers are gone")
            let fresh = try await client.canonical(geo, template: "/v1/instances/{id}", headers: [.cacheControl: "no-cache"])
            #expect(fresh.status == 200)
            #expect(geotareas.recorder.all.filter { $0.path == "/apidev/v1/login" }.count == 1, "the unchanged connection kept its session")
        }
    }

    @Test func settingsThatNeedARestartAreReportedAndTheRestApplied() async throws {
        let file = Self.temporaryFile()
        let logs = InMemoryLogHandler()
        let logger = Logger(label: "flowgate", factory: { _ in logs })
        try await LiveStack.run(logger: logger, reloadFrom: file, config: { Self.yaml($0) }) { stack, client in
            let next = Self.yaml(stack) { yaml in
                yaml.replacingOccurrences(of: "  port: 0\n", with: "  port: 18999\n").replacingOccurrences(
                    of: #"      - {id: ro, hash:"#,
                    with: #"      - {id: added, hash: "\#(KeyHash.configString(of: Self.newKey))", scopes: [read]}\#n      - {id: ro, hash:"#
                )
            }
            try next.write(to: file, atomically: true, encoding: .utf8)
            try await Self.until(client, key: Self.newKey, answers: .ok)
            let warning = logs.entries.first { $0.level == .warning && $0.message.description.contains("after a restart") }
            #expect(warning?.metadata["settings"]?.description == "server.port", "\(logs.entries.map { "\($0.level) \($0.message) \($0.metadata)" })")
        }
    }
}
