import FlowgateCore
import FlowgateProviders
import Foundation
import Testing

@testable import FlowgateServer

/// A reload keeps a connection's endpoint (and its breaker, keyed by the origin's digest) only while
/// nothing it was built from changed. Every field must count: these tests change each stored property
/// of `ConnectionConfig` and each server setting the upstream path reads, one at a time, and fail when
/// a new field is added without the digest and the comparison covering it.
@Suite struct EndpointOriginTests {
    static let base = ConnectionConfig(
        name: "geo", provider: .geotareas, baseURL: "http://127.0.0.1:9103", credentials: ["api_key": Secret("k"), "password": Secret("p")],
        tenantHost: "demo.geotareas.com", timezone: TimeZone(identifier: "America/Argentina/Buenos_Aires") ?? .gmt, accountID: nil,
        limits: [:], cacheTTLSeconds: [:], nativeCacheTTLSeconds: nil, allowForceCancel: false
    )

    /// One change per stored property, by its name.
    static let changes: [String: @Sendable (inout ConnectionConfig) -> Void] = [
        "name": { $0.name = "geo2" },
        "provider": { $0.provider = .workingflow },
        "baseURL": { $0.baseURL = "http://127.0.0.1:9104" },
        "credentials": { $0.credentials["password"] = Secret("q") },
        "tenantHost": { $0.tenantHost = "other.geotareas.com" },
        "timezone": { $0.timezone = .gmt },
        "accountID": { $0.accountID = "acct" },
        "limits": { $0.limits["reads"] = .window(limit: 29, seconds: 60) },
        "portal": { $0.portal = "acme.bitrix24.com" },
        "cacheTTLSeconds": { $0.cacheTTLSeconds[.getInstance] = 5 },
        "allowForceCancel": { $0.allowForceCancel = true },
        "nativeCacheTTLSeconds": { $0.nativeCacheTTLSeconds = 3 },
    ]

    @Test func everyConnectionFieldChangesTheOriginAndItsDigest() {
        let fields = Set(Mirror(reflecting: Self.base).children.compactMap(\.label))
        #expect(fields == Set(Self.changes.keys), "a ConnectionConfig field is not covered: add it to the digest and here")
        let server = ServerSettings()
        let original = ConnectionAdapters.EndpointOrigin(Self.base, server)
        for (field, change) in Self.changes {
            var changed = Self.base
            change(&changed)
            let origin = ConnectionAdapters.EndpointOrigin(changed, server)
            #expect(origin != original, "\(field)")
            #expect(origin.digest != original.digest, "\(field) is not in the digest")
        }
    }

    @Test func theServerSettingsTheUpstreamPathReadsCountAndOthersDoNot() {
        let original = ConnectionAdapters.EndpointOrigin(Self.base, ServerSettings())
        let counted: [(String, (inout ServerSettings) -> Void)] = [
            ("upstream_timeout_s", { $0.upstreamTimeout = .seconds(3) }), ("upstream_retries", { $0.upstreamRetries = 0 }),
            ("breaker_failures", { $0.breakerFailures = 9 }), ("breaker_cooldown_s", { $0.breakerCooldown = .seconds(1) }),
            ("ratelimit_max_wait_s", { $0.rateLimitMaxWait = .zero }), ("window_margin_ms", { $0.windowMargin = .milliseconds(7) }),
        ]
        for (name, change) in counted {
            var server = ServerSettings()
            change(&server)
            let origin = ConnectionAdapters.EndpointOrigin(Self.base, server)
            #expect(origin != original && origin.digest != original.digest, "\(name)")
        }
        var unrelated = ServerSettings()
        unrelated.maxBodyBytes = 10
        unrelated.requestTimeout = .seconds(99)
        #expect(ConnectionAdapters.EndpointOrigin(Self.base, unrelated) == original, "settings read per request do not rebuild endpoints")
    }
}
