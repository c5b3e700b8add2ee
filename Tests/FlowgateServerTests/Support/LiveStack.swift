import FlowgateCore
import FlowgateEmulators
import FlowgateServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging

/// The four emulators on ephemeral loopback ports and a gateway in front of them: what every
/// end-to-end test runs against. Calls go over real sockets both ways.
///
/// ```swift
/// try await LiveStack.run { stack, client in
///     try await client.execute(uri: "/v1/instances/geo:591847302948571634", method: .get, headers: .bearer(TestKeys.acmeReadWrite)) { … }
///     #expect(stack.emulator("geotareas").recorder…)
/// }
/// ```
struct LiveStack: Sendable {
    /// Credentials the emulators accept out of the box (their `.demo` sets, as in `Config/demo.yaml`).
    enum Demo {
        static let bitrixAppKey = "vibe_app_demo_0000000000000000"
        static let bitrixSession = "vibe_session_demo_0000000000000000"
        static let workingflowKey = "wf_demo_0000000000000000"
        static let geotareasKey = "geo_demo_key"
        static let geotareasEmail = "demo@flowgate.local"
        static let geotareasPassword = "demo-password"
        static let geotareasTenant = "demo.geotareas.com"
        static let cloudflareToken = "cf_demo_token_0000000000000000"
        static let cloudflareAccount = "demo0account"
        /// Every upstream secret above, for tests that search answers and logs for leaks.
        static let secrets = [bitrixAppKey, bitrixSession, workingflowKey, geotareasKey, geotareasPassword, cloudflareToken]
    }

    let emulators: [String: any Emulator]
    /// Bound port per emulator name.
    let ports: [String: Int]

    func emulator(_ name: String) -> any Emulator {
        guard let emulator = emulators[name] else { fatalError("no emulator \(name) in this stack") }
        return emulator
    }

    func baseURL(_ name: String) -> String {
        "http://127.0.0.1:\(ports[name] ?? 0)"
    }

    /// Tenant `acme` (keys `TestKeys.acmeReadWrite` / `acmeReadOnly`) with connections `b24`, `wf`,
    /// `geo` and `cf` on the emulators, plus `extraConnections` (YAML list items, indented 6 spaces);
    /// tenant `globex` (key `TestKeys.globex`) with its own `gx` on the Workingflow emulator.
    /// `server` adds lines to the `server:` section (indented 2 spaces); `rwKeyRate` gives the
    /// read-write key an inbound limit (`{per_second: 1, burst: 2}`).
    /// `geoLimits` overrides the `geo` connection's buckets (`{reads: {rate_per_s: 1, burst: 25}}`).
    func configYAML(
        extraConnections: String = "", upstreamTimeout: Double = 5, server: String = "", rwKeyRate: String? = nil, geoLimits: String? = nil,
        cache: String = ""
    ) -> String {
        """
        cache:
          max_bytes: 67108864
        \(cache)
        server:
          host: 127.0.0.1
          port: 0
          cursor_secret: \(TestKeys.cursorSecret)
          upstream_timeout_s: \(upstreamTimeout)
        \(server)
        tenants:
          - name: acme
            keys:
              - {id: rw, hash: "\(KeyHash.configString(of: TestKeys.acmeReadWrite))", scopes: [read, execute]\(rwKeyRate.map { ", rate: \($0)" } ?? "")}
              - {id: ro, hash: "\(KeyHash.configString(of: TestKeys.acmeReadOnly))", scopes: [read]}
              - {id: native, hash: "\(KeyHash.configString(of: TestKeys.acmeNative))", scopes: [native]}
            connections:
              - name: b24
                provider: bitrix24
                base_url: \(baseURL("bitrix24"))
                credentials: {api_key: \(Demo.bitrixAppKey), user_token: \(Demo.bitrixSession)}
              - name: wf
                provider: workingflow
                base_url: \(baseURL("workingflow"))
                credentials: {api_key: \(Demo.workingflowKey)}
              - name: geo
                provider: geotareas
                base_url: \(baseURL("geotareas"))
                tenant_host: \(Demo.geotareasTenant)
                timezone: America/Argentina/Buenos_Aires
                credentials: {api_key: \(Demo.geotareasKey), email: \(Demo.geotareasEmail), password: \(Demo.geotareasPassword)}
                limits: \(geoLimits ?? "{}")
              - name: cf
                provider: cloudflare
                base_url: \(baseURL("cloudflare"))/client/v4
                account_id: \(Demo.cloudflareAccount)
                credentials: {api_token: \(Demo.cloudflareToken)}
        \(extraConnections)
          - name: globex
            keys:
              - {id: main, hash: "\(KeyHash.configString(of: TestKeys.globex))", scopes: [read, execute]}
            connections:
              - name: gx
                provider: workingflow
                base_url: \(baseURL("workingflow"))
                credentials: {api_key: \(Demo.workingflowKey)}
        """
    }

    /// Starts `emulators` (default: a fresh set on the real clock), then the gateway (on `clock`, which
    /// tests replace with a ``ManualClock`` to move through TTLs, cooldowns and windows without sleeping)
    /// built from `configYAML` (default: ``configYAML(extraConnections:upstreamTimeout:)``), runs `body`,
    /// and stops everything. A test that drives a ``ManualClock`` through upstream windows gives the
    /// emulators the same clock (`EmulatorSet(now: { clock.date })`). With `reloadFrom`, the config is
    /// written to that file and the gateway reloads whenever the file changes
    /// (`server.config_watch_interval_s` sets how often it looks).
    /// `hitPath: false` leaves every request to the router (the hit path's tests compare the two).
    static func run<Value: Sendable>(
        emulators: [any Emulator] = EmulatorSet().emulators,
        logger: Logger = Logger(label: "e2e", factory: { _ in SwiftLogNoOpLogHandler() }),
        metrics: GatewayMetrics = GatewayMetrics(),
        clock: any GatewayClock = SystemClock(),
        reloadFrom configFile: URL? = nil,
        config: @Sendable (LiveStack) -> String = { $0.configYAML() },
        hitPath: Bool = true,
        _ body: @Sendable (LiveStack, any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var ports: [String: Int] = [:]
            for emulator in emulators {
                ports[emulator.name] = await start(emulator, in: &group)
            }
            let stack = LiveStack(
                emulators: Dictionary(uniqueKeysWithValues: emulators.map { ($0.name, $0) }), ports: ports
            )
            let yaml = config(stack)
            let gatewayConfig = try ConfigLoader(references: SecretReferences(environment: [:])).parse(yaml: yaml)
            // Reloadable: the config is written to `configFile`, which the gateway watches (no signals in tests).
            var reload: ReloadOptions?
            if let configFile {
                try yaml.write(to: configFile, atomically: true, encoding: .utf8)
                reload = ReloadOptions(source: .file(configFile.path, environment: [:]), reloadsOnSignal: false)
            }
            let gateway = try buildApplication(
                config: gatewayConfig, logger: logger, metrics: metrics, clock: clock, reload: reload, hitPath: hitPath)
            // A failing body must not end the server by cancellation: NIO stops the whole test process
            // (a debug precondition) when connections it accepted but never handed on are dropped that way.
            // The failure is kept, the server shut down gracefully, then the failure thrown.
            let outcome = try await gateway.test(.live) { client in
                do {
                    return Result<Value, any Error>.success(try await body(stack, client))
                } catch {
                    return Result<Value, any Error>.failure(error)
                }
            }
            group.cancelAll()
            return try outcome.get()
        }
    }
}

extension LiveStack {
    /// Runs one more emulator on an ephemeral port for the length of `body` (a second account of a
    /// provider, e.g. another tenant's Cloudflare token).
    static func withEmulator<Value: Sendable>(
        _ emulator: any Emulator, _ body: @Sendable (_ port: Int) async throws -> Value
    ) async throws -> Value {
        try await withThrowingTaskGroup(of: Void.self) { group in
            let value = try await body(await start(emulator, in: &group))
            group.cancelAll()
            return value
        }
    }

    /// Runs `emulator` on an ephemeral loopback port in `group` and returns the port once bound.
    private static func start(_ emulator: any Emulator, in group: inout ThrowingTaskGroup<Void, any Error>) async -> Int {
        let (bound, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = emulator.makeApplication(
            port: 0, logger: Logger(label: "emulator", factory: { _ in SwiftLogNoOpLogHandler() }),
            onServerRunning: { port in
                continuation.yield(port)
                continuation.finish()
            }
        )
        group.addTask { try await app.runService() }
        var port = 0
        for await value in bound { port = value }
        return port
    }
}
