import FlowgateCore

/// What the gateway must know about a provider before any request: the operations it supports, the
/// credentials and connection settings it needs, and the names of its rate-limit buckets.
///
/// Config validation reads this to reject a connection that could never work (a Geotareas connection
/// without a password, a Cloudflare one without an account id) at start-up rather than per request.
public struct ProviderProfile: Sendable {
    public let kind: ProviderKind
    /// Operations the upstream can serve; everything else answers `501 NOT_SUPPORTED`. The one place
    /// this is written: the server's routes gate on it (``check(_:connection:)``), fan-outs skip by it,
    /// `GET /v1/connections` shows it, and a test per provider proves each adapter implements exactly
    /// these operations (its protocol defaults answer `501` for the rest).
    public let capabilities: Set<CanonicalOperation>
    public let requiredCredentials: Set<String>
    public let optionalCredentials: Set<String>
    /// Connection keys beyond the common ones (`name`, `provider`, `base_url`, `credentials`, `limits`, `cache`).
    public let requiredSettings: Set<String>
    public let optionalSettings: Set<String>
    /// Bucket names a connection's `limits:` may override (README: Configuration reference).
    public let buckets: Set<String>

    /// `501 NOT_SUPPORTED` naming the provider unless it serves `operation`: checked before any adapter
    /// or upstream is asked.
    public func check(_ operation: CanonicalOperation, connection: String) throws(GatewayError) {
        guard !capabilities.contains(operation) else { return }
        throw GatewayError(.notSupported, "\(kind.rawValue) does not support \(operation.rawValue)", connection: connection, provider: kind)
    }

    public static func of(_ kind: ProviderKind) -> ProviderProfile {
        switch kind {
        case .bitrix24: bitrix24
        case .workingflow: workingflow
        case .geotareas: geotareas
        case .cloudflare: cloudflare
        }
    }

    static let bitrix24 = ProviderProfile(
        kind: .bitrix24,
        capabilities: [.listDefinitions, .listInstances, .getInstance, .startInstance, .cancelInstance],
        requiredCredentials: ["api_key"], optionalCredentials: ["user_token"],
        requiredSettings: [], optionalSettings: ["timezone", "portal", "allow_force_cancel"],
        buckets: ["default", "portal"]
    )

    static let workingflow = ProviderProfile(
        kind: .workingflow,
        capabilities: [.listDefinitions, .getInstance, .startInstance, .getData, .downloadFile],
        requiredCredentials: ["api_key"], optionalCredentials: [],
        requiredSettings: [], optionalSettings: ["timezone"],
        buckets: ["default"]
    )

    static let geotareas = ProviderProfile(
        kind: .geotareas,
        capabilities: [.listDefinitions, .listInstances, .getInstance, .startInstance, .cancelInstance, .getTimeline, .getData],
        requiredCredentials: ["api_key", "email", "password"], optionalCredentials: [],
        requiredSettings: [], optionalSettings: ["tenant_host", "timezone"],
        buckets: ["reads", "writes", "login"]
    )

    static let cloudflare = ProviderProfile(
        kind: .cloudflare,
        capabilities: [
            .listDefinitions, .listInstances, .getInstance, .startInstance, .cancelInstance, .pauseInstance,
            .resumeInstance, .restartInstance, .sendEvent, .getTimeline, .getData,
        ],
        requiredCredentials: ["api_token"], optionalCredentials: [],
        requiredSettings: ["account_id"], optionalSettings: ["timezone"],
        buckets: ["default"]
    )
}
