import FlowgateCore
import FlowgateProviders
import FlowgateServer
import Foundation
import HTTPTypes
import Hummingbird
import Testing

struct ConfigLoaderTests {
    private let hash = KeyHash.configString(of: "k")

    private func problems(_ yaml: String, environment: [String: String] = [:], files: [String: String] = [:]) -> [String] {
        let loader = ConfigLoader(
            references: SecretReferences(
                environment: environment,
                readFile: { path in
                    guard let text = files[path] else { throw CocoaError(.fileNoSuchFile) }
                    return text
                })
        )
        do {
            _ = try loader.parse(yaml: yaml)
            return []
        } catch let error as ConfigError {
            return error.problems.map { "\($0.path): \($0.issue)" }
        } catch {
            return ["unexpected \(error)"]
        }
    }

    @Test func theDesignShapeLoadsWithReferencesInFlowMappings() throws {
        let yaml = """
            server: {port: 8080, upstream_timeout_s: 2.5, cursor_secret: ${env:FLOWGATE_CURSOR_SECRET}}
            tenants:
              - name: acme
                keys:
                  - {id: ci-bot, hash: \(hash), scopes: [read, execute], rate: {per_second: 50, burst: 100}}
                connections:
                  - name: geo
                    provider: geotareas
                    base_url: https://acme.geotareas.com/
                    timezone: America/Argentina/Buenos_Aires
                    credentials: {api_key: ${env:GEO_KEY}, email: ${env:GEO_USER}, password: ${file:/run/secrets/geo}}
                  - name: cf
                    provider: cloudflare
                    base_url: https://api.cloudflare.com/client/v4
                    account_id: 0123abcd
                    credentials: {api_token: "prefix-${env:CF_TOKEN}"}
                    limits: {default: {rate_per_s: 4, burst: 100}}
                    cache: {ttl_s: {list_instances: 2}}
                  - name: b24
                    provider: bitrix24
                    base_url: https://vibecode.bitrix24.tech
                    portal: acme.bitrix24.com
                    credentials: {api_key: k}
                    limits: {default: {window: {limit: 250, seconds: 60}}}
            """
        let environment = ["FLOWGATE_CURSOR_SECRET": "0123456789abcdef0", "GEO_KEY": "gk", "GEO_USER": "u@x", "CF_TOKEN": "tok"]
        let config = try ConfigLoader(
            references: SecretReferences(environment: environment, readFile: { _ in "file-secret\n" })
        ).parse(yaml: yaml)
        #expect(config.server.upstreamTimeout == .milliseconds(2500))
        let connections = try #require(config.tenants.first?.connections)
        #expect(connections[0].baseURL == "https://acme.geotareas.com", "trailing slash dropped")
        #expect(connections[0].credentials["password"]?.value == "file-secret", "trailing newline of a secret file trimmed")
        #expect(connections[0].timezone.identifier == "America/Argentina/Buenos_Aires")
        #expect(connections[1].credentials["api_token"]?.value == "prefix-tok")
        #expect(connections[1].limits["default"] == .rate(perSecond: 4, burst: 100))
        #expect(connections[2].limits["default"] == .window(limit: 250, seconds: 60))
        #expect(connections[2].portal == "acme.bitrix24.com")
        #expect(config.server.windowMargin == .milliseconds(150), "the default margin")
        #expect(connections[1].cacheTTLSeconds[.listInstances] == 2)
        #expect(config.tenants[0].keys[0].rate == .init(perSecond: 50, burst: 100))
    }

    @Test func everyProblemIsReportedWithItsPathInOnePass() {
        let yaml = """
            server: {port: 99999, colour: blue}
            store: redis://x
            tenants:
              - name: Acme Corp
                keys:
                  - {id: a, hash: "sha256:ABC", scopes: [read, admin]}
                  - {id: a, hash: \(hash), scopes: [read]}
                connections:
                  - {name: b24, provider: bitrix24, base_url: "ftp://x", credentials: {api_key: ${env:MISSING}}}
                  - {name: b24, provider: bitrix24, base_url: "https://user:pw@x", credentials: {api_key: k, password: p}}
                  - {name: cf, provider: cloudflare, base_url: "https://x", credentials: {api_token: t}}
                  - {name: geo, provider: geotareas, base_url: "https://x", timezone: Mars/Base, credentials: {api_key: k, email: e, password: p}, limits: {default: {rate_per_s: 1, burst: 1}}}
                  - {name: zz, provider: oracle, base_url: "https://x", credentials: {}}
                  - {name: wf, provider: workingflow, base_url: "https://x", credentials: {api_key: "${file:/nope}"}, cache: {ttl_s: {start_instance: 5}}}
            """
        let found = problems(yaml)
        let expected = [
            "server.port: must be an integer in 0…65535",
            "server.colour: unknown key",
            "store: must be 'memory' or a postgres:// URL",
            "tenants[0].name: must be 1–63 characters",
            "tenants[0].keys[0].hash: must be 'sha256:' and 64 lowercase hex digits",
            "tenants[0].keys[0].scopes[1]: unknown scope 'admin'",
            "tenants[0].keys[1].id: duplicate key id 'a'",
            "tenants[0].connections[0].base_url: not an http(s) URL",
            "tenants[0].connections[0].credentials.api_key: environment variable MISSING is not set",
            "tenants[0].connections[1].base_url: must not contain credentials",
            "tenants[0].connections[1].credentials.password: unknown key",
            "tenants[0].connections[1].name: duplicate connection name 'b24'",
            "tenants[0].connections[2].account_id: is required",
            "tenants[0].connections[3].timezone: unknown time zone 'Mars/Base'",
            "tenants[0].connections[3].limits.default: unknown key",
            "tenants[0].connections[4].provider: unknown provider 'oracle'",
            "tenants[0].connections[5].credentials.api_key: cannot read secret file /nope",
            "tenants[0].connections[5].cache.ttl_s.start_instance: unknown key",
        ]
        for problem in expected {
            #expect(found.contains { $0.hasPrefix(problem) }, "missing: \(problem)\nfound:\n\(found.joined(separator: "\n"))")
        }
        #expect(found.count == expected.count, "\(found.joined(separator: "\n"))")
    }

    @Test func limitsTakeEitherFormAndEachProblemHasItsPath() {
        let yaml = """
            server: {window_margin_ms: -1}
            tenants:
              - name: acme
                keys: [{id: a, hash: \(hash), scopes: [read]}]
                connections:
                  - name: geo
                    provider: geotareas
                    base_url: https://x
                    credentials: {api_key: k, email: e, password: p}
                    limits:
                      reads: {window: {limit: 0, seconds: 60}}
                      writes: {window: {limit: 10}}
                      login: {window: {limit: 5, seconds: 30}, rate_per_s: 1}
                  - name: cf
                    provider: cloudflare
                    base_url: https://x
                    account_id: a
                    credentials: {api_token: t}
                    limits: {default: {rate_per_s: 0, burst: 5}}
            """
        let found = problems(yaml)
        let expected = [
            "server.window_margin_ms: must be an integer in 0…60000",
            "tenants[0].connections[0].limits.reads.window.limit: must be an integer in 1…10000",
            "tenants[0].connections[0].limits.writes.window.seconds: is required",
            "tenants[0].connections[0].limits.login.rate_per_s: unknown key",
            "tenants[0].connections[1].limits.default.rate_per_s: must be a number in 0.0001…100000.0",
        ]
        for problem in expected {
            #expect(found.contains { $0.hasPrefix(problem) }, "missing: \(problem)\nfound:\n\(found.joined(separator: "\n"))")
        }
        #expect(found.count == expected.count, "\(found.joined(separator: "\n"))")
    }

    /// Every Bitrix24 connection on one portal draws from one `portal` bucket, and two connections on
    /// one credential from one of each bucket: they must not each set the limit their own way.
    @Test func connectionsSharingABucketMustAgreeOnItsLimit() {
        let yaml = """
            tenants:
              - name: acme
                keys: [{id: a, hash: \(hash), scopes: [read]}]
                connections:
                  - {name: b1, provider: bitrix24, base_url: "https://vibecode.bitrix24.tech", portal: p.bitrix24.com, credentials: {api_key: k1}}
                  - {name: b2, provider: bitrix24, base_url: "https://vibecode.bitrix24.tech", portal: other.bitrix24.com, credentials: {api_key: k2}, limits: {portal: {window: {limit: 5, seconds: 1}}}}
              - name: globex
                keys: [{id: b, hash: "sha256:\(String(repeating: "1", count: 64))", scopes: [read]}]
                connections:
                  - {name: b3, provider: bitrix24, base_url: "https://vibecode.bitrix24.tech", portal: p.bitrix24.com, credentials: {api_key: k3}, limits: {portal: {window: {limit: 5, seconds: 1}}}}
                  - {name: w1, provider: workingflow, base_url: "https://wf.example", credentials: {api_key: same}}
                  - {name: w2, provider: workingflow, base_url: "https://wf.example", credentials: {api_key: same}, limits: {default: {rate_per_s: 1, burst: 1}}}
            """
        let found = problems(yaml)
        #expect(found.count == 2, "\(found.joined(separator: "\n"))")
        #expect(
            found.contains {
                $0.hasPrefix("tenants[1].connections[0].limits.portal: draws from the same bucket as tenants[0].connections[0] (the same portal)")
            })
        #expect(
            found.contains {
                $0.hasPrefix(
                    "tenants[1].connections[2].limits.default: draws from the same bucket as tenants[1].connections[1] (the same credential)")
            })
    }

    @Test func duplicateTenantsAndSharedKeyHashesAreRefused() {
        let yaml = """
            tenants:
              - {name: acme, keys: [{id: a, hash: \(hash), scopes: [read]}]}
              - {name: acme, keys: [{id: b, hash: \(hash), scopes: [read]}]}
            """
        let found = problems(yaml)
        #expect(found.contains("tenants[1].name: duplicate tenant name 'acme'"))
        #expect(found.contains("tenants[1].keys[0].hash: the same key hash is already used by acme/a"))
    }

    @Test func problemsNeverEchoSecretValues() {
        let yaml = """
            server: {cursor_secret: short-SECRET}
            tenants:
              - name: acme
                keys: [{id: a, hash: "sha256:TOPSECRETHASH", scopes: [read]}]
                connections:
                  - {name: b, provider: bitrix24, base_url: "https://x", credentials: {api_key: ${env:KEY}, bogus: SECRET-VALUE}}
            """
        let found = problems(yaml, environment: ["KEY": "env-SECRET"]).joined(separator: "\n")
        #expect(found.contains("server.cursor_secret: must be at least 16 characters"))
        #expect(!found.contains("SECRET"), "\(found)")
    }

    @Test func malformedAndEmptyFilesAreProblemsNotCrashes() {
        #expect(problems("") == [": the file is empty"])
        #expect(problems("tenants: [unclosed").first?.hasPrefix(": not valid YAML") == true)
        #expect(problems("- just\n- a list") == [": must be a mapping"])
        #expect(problems("tenants: []") == ["tenants: must list at least one tenant"])
        #expect(
            problems("tenants:\n  - {name: a, keys: [{id: k, hash: \(hash), scopes: []}]}") == [
                "tenants[0].keys[0].scopes: must grant at least one scope"
            ])
    }

    @Test func clusterStoreURLIsParsedAndChecked() throws {
        let tenants = "tenants:\n  - {name: a, keys: [{id: k, hash: \(hash), scopes: [read]}]}"
        let good =
            "server: {cursor_secret: 0123456789abcdef}\nstore: postgres://fg:s3cr%40t@db.internal:6432/flowgate?sslmode=require&pool_size=4&timeout_ms=500\n"
            + tenants
        let config = try ConfigLoader(references: SecretReferences(environment: [:])).parse(yaml: good)
        guard case .postgres(let settings) = config.store else {
            Issue.record("expected a postgres store")
            return
        }
        #expect(settings.host == "db.internal" && settings.port == 6432 && settings.database == "flowgate" && settings.username == "fg")
        #expect(settings.password?.value == "s3cr@t" && settings.tls == .require && settings.poolSize == 4)
        #expect(settings.operationTimeout == .milliseconds(500))
        #expect(settings.redacted == "postgres://fg@db.internal:6432/flowgate")

        for (url, issue) in [
            ("postgres://u:p@/db", "store: postgres URL names no host"),
            ("postgres://u:p@localhost", "store: postgres URL names no database (postgres://…/DATABASE)"),
            ("postgres://u:p@localhost/db?sslmode=maybe", "store: postgres URL sslmode must be disable, prefer or require"),
            ("postgres://u:p@localhost/db?colour=red", "store: postgres URL unknown option 'colour' (known: sslmode, pool_size, timeout_ms)"),
        ] {
            let found = problems("server: {cursor_secret: 0123456789abcdef}\nstore: \(url)\n" + tenants)
            #expect(found == [issue])
            #expect(!found.joined().contains("u:p"), "the store URL may hold a password")
        }
        #expect(
            problems("store: postgres://u:p@localhost/db\n" + tenants) == [
                "server.cursor_secret: is required with a postgres store: replicas must share it"
            ])
    }

    @Test func demoConfigIsValidAsShipped() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Config/demo.yaml").path
        let config = try ConfigLoader(references: SecretReferences(environment: [:])).load(path: path)
        #expect(config.tenants.map(\.name) == ["demo"])
        #expect(config.tenants[0].keys[0].hash == KeyHash.digest(of: "fgk_demo_local_only"), "the key the README prints")
    }

    @Test func exampleConfigIsValidOnceItsReferencesResolve() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Config/example.yaml").path
        let environment = [
            "FLOWGATE_CURSOR_SECRET": "0123456789abcdef", "ACME_CI_BOT_KEY_HASH": hash, "ACME_DASHBOARD_KEY_HASH": KeyHash.configString(of: "d"),
            "ACME_LEGACY_KEY_HASH": KeyHash.configString(of: "l"),
            "ACME_B24_KEY": "a", "GEO_KEY": "b", "GEO_USER": "c", "GEO_PASS": "d", "CF_TOKEN": "e",
        ]
        let config = try ConfigLoader(references: SecretReferences(environment: environment, readFile: { _ in "wf\n" })).load(path: path)
        #expect(config.tenants.first?.connections.map(\.provider) == [.bitrix24, .workingflow, .geotareas, .cloudflare])
        #expect(config.tenants.first?.keys.last?.scopes == [.native])
        #expect(config.tenants.first?.connections.last?.nativeCacheTTLSeconds == 2)
        #expect(config.tenants.first?.connections.first?.nativeCacheTTLSeconds == nil)
    }

    @Test func nativeCacheTTLIsBoundedAndAnUnknownScopeNamesTheThree() {
        let yaml = """
            tenants:
              - name: t
                keys:
                  - {id: k, hash: "\(hash)", scopes: [read, nativ]}
                connections:
                  - {name: w, provider: workingflow, base_url: "http://127.0.0.1:9", credentials: {api_key: x}, native_cache_ttl_s: -1}
            """
        let found = problems(yaml)
        #expect(found.contains { $0.contains("scopes[1]") && $0.contains("expected read, execute or native") })
        #expect(found.contains { $0.contains("native_cache_ttl_s") })
    }

    /// `allow_force_cancel` exists for Bitrix24 only, is a plain boolean, and is off by default.
    @Test func forceCancelIsABitrix24OptIn() throws {
        func yaml(_ provider: String, _ extra: String) -> String {
            """
            tenants:
              - name: acme
                keys: [{id: k, hash: \(hash), scopes: [read]}]
                connections:
                  - name: c
                    provider: \(provider)
                    base_url: https://example.com
                    credentials: {api_key: k1}
                    \(extra)
            """
        }
        let loader = ConfigLoader(references: SecretReferences(environment: [:]))
        #expect(try loader.parse(yaml: yaml("bitrix24", "allow_force_cancel: true")).tenants[0].connections[0].allowForceCancel)
        #expect(try !loader.parse(yaml: yaml("bitrix24", "timezone: UTC")).tenants[0].connections[0].allowForceCancel, "off by default")
        #expect(problems(yaml("bitrix24", "allow_force_cancel: yes")) == ["tenants[0].connections[0].allow_force_cancel: must be true or false"])
        #expect(
            problems(yaml("workingflow", "allow_force_cancel: true")).first?.hasPrefix("tenants[0].connections[0].allow_force_cancel: unknown key")
                == true)
    }
}
