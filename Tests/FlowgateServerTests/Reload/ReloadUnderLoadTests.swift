import AsyncHTTPClient
import FlowgateEmulators
import FlowgateServer
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `flowgate serve` as a process, reloaded the way an operator does it: `flowgate reload --pid-file`
/// (SIGHUP). File watching is off in these configs so that every reload is the signal's.
///
/// They measure time and throughput, which the rest of the suite running on the same two cores would
/// distort: they run only with `FLOWGATE_LOAD_TESTS=1`, which `.ci/run` sets for a run of this suite
/// alone after the main one (`FLOWGATE_LOAD_TESTS=1 swift test --filter ReloadUnderLoadTests`).
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["FLOWGATE_LOAD_TESTS"] == "1", "set FLOWGATE_LOAD_TESTS=1 (.ci/run does)"))
struct ReloadUnderLoadTests {
    static let extraKey = "fgk_reload_extra_key_0123456789"

    /// A gateway config with one tenant and a Workingflow connection; `variant` B adds a key and gives
    /// the connection another TTL (so its endpoint and cached answers change on every swap).
    static func config(port: Int, workingflow: Int, variant: Bool) -> String {
        """
        server:
          host: 127.0.0.1
          port: \(port)
          cursor_secret: \(TestKeys.cursorSecret)
          config_watch_interval_s: 0
        tenants:
          - name: acme
            keys:
              - {id: rw, hash: "\(KeyHash.configString(of: TestKeys.acmeReadWrite))", scopes: [read, execute]}
        \(variant ? "      - {id: extra, hash: \"\(KeyHash.configString(of: Self.extraKey))\", scopes: [read]}" : "")
            connections:
              - name: wf
                provider: workingflow
                base_url: http://127.0.0.1:\(workingflow)
                credentials: {api_key: \(LiveStack.Demo.workingflowKey)}
                cache: {ttl_s: {get_instance: \(variant ? 30 : 20)}}
        """
    }

    /// Runs a gateway process on `config` next to a Workingflow emulator, with `body` given its base URL
    /// and a function that rewrites the config and signals a reload.
    static func withGateway(
        _ body: @Sendable (_ base: String, _ http: HTTPClient, _ reload: @Sendable (Bool) throws -> Void, _ log: URL) async throws -> Void
    ) async throws {
        try await LiveStack.withEmulator(WorkingflowEmulator(largeFileSize: 1024)) { workingflow in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flowgate-reload-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let file = directory.appendingPathComponent("flowgate.yaml")
            let pidFile = directory.appendingPathComponent("flowgate.pid")
            let log = directory.appendingPathComponent("gateway.log")
            let port = try ClusterFleet.freePort()
            try config(port: port, workingflow: workingflow, variant: false).write(to: file, atomically: true, encoding: .utf8)
            let binary = try ClusterFleet.gatewayBinary().path
            let gateway = try ChildProcess(binary, ["serve", "--config", file.path, "--pid-file", pidFile.path], log: log.path)
            defer { gateway.stop() }
            var configuration = HTTPClient.Configuration()
            configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 16)
            try await withHTTPClient(configuration) { http in
                let base = "http://127.0.0.1:\(port)"
                try await eventually(timeout: .seconds(30)) {
                    (try? await http.execute(HTTPClientRequest(url: "\(base)/readyz"), timeout: .seconds(2)).status.code) == 200
                }
                let reload: @Sendable (Bool) throws -> Void = { variant in
                    // Written whole, then renamed: a reload never reads half a file.
                    try config(port: port, workingflow: workingflow, variant: variant).write(to: file, atomically: true, encoding: .utf8)
                    let signal = try ChildProcess(
                        binary, ["reload", "--pid-file", pidFile.path], log: directory.appendingPathComponent("reload.log").path)
                    guard signal.waitForExit(timeout: .seconds(10)) == 0 else { throw E2EFailure("flowgate reload failed") }
                }
                try await body(base, http, reload, log)
            }
        }
    }

    static func get(_ http: HTTPClient, _ url: String, key: String = TestKeys.acmeReadWrite) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        let response = try await http.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }

    @Test func flowgateReloadAppliesANewKeyWithinASecondOfTheSignal() async throws {
        try await Self.withGateway { base, http, reload, log in
            #expect(try await Self.get(http, "\(base)/v1/connections", key: Self.extraKey) == 401)
            try reload(true)
            let signalled = ContinuousClock.now
            try await eventually(timeout: .seconds(5)) { try await Self.get(http, "\(base)/v1/connections", key: Self.extraKey) == 200 }
            #expect(ContinuousClock.now - signalled < .seconds(1), "applied within a second of the signal")
            try reload(false)
            try await eventually(timeout: .seconds(5)) { try await Self.get(http, "\(base)/v1/connections", key: Self.extraKey) == 401 }
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            #expect(text.contains("config reloaded"), "\(text)")
        }
    }

    /// Requests keep flowing over keep-alive connections — at least 200 a second for 30 s — while the
    /// config is reloaded 20 times, alternating two valid files: not one fails, not one connection resets.
    @Test func twentyReloadsUnderLoadDropNothing() async throws {
        try await Self.withGateway { base, http, reload, _ in
            let tally = LoadTally()
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        var index = 0
                        while !tally.stopped {
                            index += 1
                            let path = (index + worker) % 2 == 0 ? "/v1/connections" : "/v1/instances/wf:50100"
                            do {
                                let status = try await Self.get(http, base + path)
                                tally.record(status == 200 ? nil : "\(path): \(status)")
                            } catch {
                                tally.record("\(path): \(error)")
                            }
                        }
                    }
                }
                for round in 1...20 {
                    try await Task.sleep(for: .milliseconds(1500))
                    try reload(round % 2 == 1)
                }
                try await Task.sleep(for: .milliseconds(500))
                tally.stop()
                try await group.waitForAll()
            }
            let elapsed = (ContinuousClock.now - started).components.seconds
            let (ok, failed) = tally.results
            print(
                "reload under load: \(ok) requests answered 200 in \(elapsed) s (\(ok / max(1, Int(elapsed))) per second), \(failed.count) failed, 20 reloads"
            )
            #expect(failed.isEmpty, "\(failed.count) failed: \(failed.prefix(5))")
            #expect(elapsed >= 30)
            #expect(Double(ok) / Double(elapsed) >= 200, "\(ok) requests in \(elapsed) s")
            let metrics = try await http.execute(HTTPClientRequest(url: "\(base)/metrics"), timeout: .seconds(5))
            let text = String(buffer: try await metrics.body.collect(upTo: 1 << 22))
            #expect(text.contains(#"flowgate_config_reloads_total{result="success"} 20"#), "every reload applied")
            #expect(!text.contains(#"result="failed""#))
        }
    }
}

/// What the load workers saw, and when to stop them.
final class LoadTally: Sendable {
    private let state = Mutex((stopped: false, ok: 0, failed: [String]()))

    var stopped: Bool { state.withLock { $0.stopped } }
    var results: (ok: Int, failed: [String]) { state.withLock { ($0.ok, $0.failed) } }

    func stop() { state.withLock { $0.stopped = true } }

    /// One answer: nil for a 200, else what went wrong.
    func record(_ failure: String?) {
        state.withLock { state in
            if let failure { state.failed.append(failure) } else { state.ok += 1 }
        }
    }
}
