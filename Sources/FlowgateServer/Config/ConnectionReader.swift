import FlowgateCore
import FlowgateProviders
import Foundation
import Yams

/// Reads one entry of a tenant's `connections:`, checked against its provider's profile: the
/// credentials, settings and bucket names that provider needs and accepts.
struct ConnectionReader {
    let reader: ConfigReader

    private static let commonKeys: Set<String> = ["name", "provider", "base_url", "credentials", "limits", "cache", "native_cache_ttl_s"]

    func read(_ node: Node, at path: String) -> ConnectionConfig? {
        // The provider decides which other keys are valid, so read it before checking the rest.
        let provider = node.mapping?.first { $0.key.string == "provider" }.flatMap { readProvider($0.value, at: "\(path).provider") }
        let profile = provider.map(ProviderProfile.of)
        let allSettings = ProviderProfile.allSettingKeys
        guard
            let entries = reader.mapping(
                node, at: path, required: Set(["name", "provider", "base_url", "credentials"]).union(profile?.requiredSettings ?? []),
                optional: Self.commonKeys.union(profile?.optionalSettings ?? allSettings)
            )
        else { return nil }

        let name = entries["name"].flatMap { reader.name($0, at: "\(path).name") }
        let baseURL = entries["base_url"].flatMap { readBaseURL($0, at: "\(path).base_url") }
        let credentials = profile.flatMap { profile in
            entries["credentials"].flatMap { readCredentials($0, at: "\(path).credentials", profile: profile) }
        }
        let tenantHost = entries["tenant_host"].flatMap { readHost($0, at: "\(path).tenant_host") }
        let timezone = entries["timezone"].map { readTimeZone($0, at: "\(path).timezone") } ?? TimeZone(identifier: "UTC")
        let accountID = entries["account_id"].flatMap { reader.string($0, at: "\(path).account_id") }
        let portal = entries["portal"].flatMap { readHost($0, at: "\(path).portal") }
        let limits = profile.map { profile in
            entries["limits"].map { readLimits($0, at: "\(path).limits", profile: profile) } ?? [:]
        }
        let cacheTTL = entries["cache"].map { readCache($0, at: "\(path).cache") } ?? [:]
        let nativeCacheTTL = entries["native_cache_ttl_s"].flatMap { reader.int($0, at: "\(path).native_cache_ttl_s", in: 0...86_400) }
        let allowForceCancel = entries["allow_force_cancel"].flatMap { reader.bool($0, at: "\(path).allow_force_cancel") } ?? false

        guard let name, let provider, let baseURL, let credentials, let timezone, let limits else { return nil }
        // Geotareas' `tenant` header is the company host, which is the base URL's host unless a shared
        // API host is used (docs/upstreams/geotareas.md#authentication); default to it rather than fail every call.
        let tenant = tenantHost ?? (provider == .geotareas ? URLComponents(string: baseURL)?.host : nil)
        return ConnectionConfig(
            name: name, provider: provider, baseURL: baseURL, credentials: credentials, tenantHost: tenant,
            timezone: timezone, accountID: accountID, portal: portal, limits: limits, cacheTTLSeconds: cacheTTL,
            nativeCacheTTLSeconds: nativeCacheTTL.flatMap { $0 > 0 ? $0 : nil }, allowForceCancel: allowForceCancel
        )
    }

    private func readProvider(_ node: Node, at path: String) -> ProviderKind? {
        guard let text = reader.string(node, at: path) else { return nil }
        guard let kind = ProviderKind(rawValue: text) else {
            let known = ProviderKind.allCases.map(\.rawValue).joined(separator: ", ")
            reader.report(path, node, "unknown provider '\(text)' (expected one of: \(known))")
            return nil
        }
        return kind
    }

    private func readBaseURL(_ node: Node, at path: String) -> String? {
        guard let text = reader.string(node, at: path) else { return nil }
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty
        else {
            reader.report(path, node, "not an http(s) URL")
            return nil
        }
        // Userinfo would put a credential where every log line and error message shows URLs.
        guard url.user == nil, url.password == nil else {
            reader.report(path, node, "must not contain credentials; put them under credentials:")
            return nil
        }
        guard url.query == nil, url.fragment == nil else {
            reader.report(path, node, "must not have a query or fragment")
            return nil
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    private func readCredentials(_ node: Node, at path: String, profile: ProviderProfile) -> [String: Secret]? {
        guard
            let entries = reader.mapping(
                node, at: path, required: profile.requiredCredentials, optional: profile.optionalCredentials
            )
        else { return nil }
        var credentials: [String: Secret] = [:]
        for (key, value) in entries {
            if let secret = reader.secret(value, at: "\(path).\(key)") { credentials[key] = secret }
        }
        return credentials
    }

    private func readHost(_ node: Node, at path: String) -> String? {
        guard let text = reader.string(node, at: path) else { return nil }
        guard text.range(of: #"^[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?$"#, options: .regularExpression) != nil else {
            reader.report(path, node, "must be a host name")
            return nil
        }
        return text
    }

    private func readTimeZone(_ node: Node, at path: String) -> TimeZone? {
        guard let text = reader.string(node, at: path) else { return nil }
        guard let zone = TimeZone(identifier: text) else {
            reader.report(path, node, "unknown time zone '\(text)' (use an IANA name such as America/Argentina/Buenos_Aires)")
            return nil
        }
        return zone
    }

    /// `limits: {<bucket>: {rate_per_s, burst}}` or `{<bucket>: {window: {limit, seconds}}}`, by the
    /// names of the provider's buckets.
    private func readLimits(_ node: Node, at path: String, profile: ProviderProfile) -> [String: BucketSpec.Shape] {
        guard let entries = reader.mapping(node, at: path, optional: profile.buckets) else { return [:] }
        var limits: [String: BucketSpec.Shape] = [:]
        for (bucket, value) in entries {
            if let shape = readShape(value, at: "\(path).\(bucket)") { limits[bucket] = shape }
        }
        return limits
    }

    private func readShape(_ node: Node, at path: String) -> BucketSpec.Shape? {
        let keys = Set(node.mapping?.compactMap { $0.key.string } ?? [])
        if keys.contains("window") {
            guard let fields = reader.mapping(node, at: path, required: ["window"]),
                let window = fields["window"].flatMap({ reader.mapping($0, at: "\(path).window", required: ["limit", "seconds"]) })
            else { return nil }
            let limit = window["limit"].flatMap { reader.int($0, at: "\(path).window.limit", in: 1...BucketSpec.maxWindowLimit) }
            let seconds = window["seconds"].flatMap { reader.number($0, at: "\(path).window.seconds", in: 0.001...86_400) }
            guard let limit, let seconds else { return nil }
            return .window(limit: limit, seconds: seconds)
        }
        guard let fields = reader.mapping(node, at: path, required: ["rate_per_s", "burst"]) else { return nil }
        let rate = fields["rate_per_s"].flatMap { reader.number($0, at: "\(path).rate_per_s", in: 0.0001...100_000) }
        let burst = fields["burst"].flatMap { reader.int($0, at: "\(path).burst", in: 1...1_000_000) }
        guard let rate, let burst else { return nil }
        return .rate(perSecond: rate, burst: burst)
    }

    private func readCache(_ node: Node, at path: String) -> [CanonicalOperation: Int] {
        guard let entries = reader.mapping(node, at: path, optional: ["ttl_s"]), let ttlNode = entries["ttl_s"] else { return [:] }
        let cacheable = CanonicalOperation.allCases.filter { $0.isRead && $0 != .downloadFile }
        guard let ttls = reader.mapping(ttlNode, at: "\(path).ttl_s", optional: Set(cacheable.map(\.rawValue))) else { return [:] }
        var result: [CanonicalOperation: Int] = [:]
        for (key, value) in ttls {
            if let operation = CanonicalOperation(rawValue: key), let seconds = reader.int(value, at: "\(path).ttl_s.\(key)", in: 0...86_400) {
                result[operation] = seconds
            }
        }
        return result
    }
}

extension ProviderProfile {
    /// Every provider-specific connection key; used when the provider itself is missing or wrong, so
    /// the other keys are not all reported as unknown.
    static let allSettingKeys: Set<String> = ProviderKind.allCases.reduce(into: []) { keys, kind in
        let profile = ProviderProfile.of(kind)
        keys.formUnion(profile.requiredSettings.union(profile.optionalSettings))
    }
}
