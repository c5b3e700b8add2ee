import FlowgateCore
import Foundation

/// What an adapter knows about the one connection it serves: who it is, the secrets it injects, the
/// settings its provider needs, and its provider's route table.
///
/// Built once by the server from validated config. The adapter never sees the base URL: the transport
/// owns where calls go, the adapter owns what they say.
public struct ProviderConnection: Sendable {
    public var name: String
    public var kind: ProviderKind
    public var credentials: [String: Secret]
    /// Geotareas' `tenant` header value.
    public var tenantHost: String?
    /// Zone of upstream timestamps that carry none (Geotareas).
    public var timezone: TimeZone
    /// Cloudflare's account id, part of every path.
    public var accountID: String?
    public var routes: ProviderRoutes
    /// Where tolerant reading reports upstream values of a shape it could not use.
    public var shapeDrift: ShapeDrift
    /// Where the adapter says, once, what it learned about its upstream (the server logs it at info).
    public var notice: ProviderNotice

    public init(
        name: String, kind: ProviderKind, credentials: [String: Secret], tenantHost: String? = nil,
        timezone: TimeZone = .gmt, accountID: String? = nil, routes: ProviderRoutes,
        shapeDrift: ShapeDrift = .unreported, notice: ProviderNotice = .unreported
    ) {
        self.name = name
        self.kind = kind
        self.credentials = credentials
        self.tenantHost = tenantHost
        self.timezone = timezone
        self.accountID = accountID
        self.routes = routes
        self.shapeDrift = shapeDrift
        self.notice = notice
    }

    /// A credential config validation guaranteed; a missing one is a bug, reported as such.
    public func credential(_ name: String) throws -> String {
        guard let secret = credentials[name] else {
            throw GatewayError(.internalError, "Connection \(self.name) has no \(name) credential", connection: self.name, provider: kind)
        }
        return secret.value
    }

    /// The canonical id of a native id on this connection.
    public func id(_ native: String) -> CanonicalID {
        CanonicalID(connection: name, native: native)
    }

    /// `501 NOT_SUPPORTED` for an operation this provider lacks, naming it (docs/canonical-api.md#provider-decisions).
    public func notSupported(_ operation: CanonicalOperation) -> GatewayError {
        GatewayError(
            .notSupported, "\(kind.rawValue) does not support \(operation.rawValue)", connection: name, provider: kind
        )
    }

    /// An error about this connection, labelled with its name and provider.
    public func error(_ code: ErrorCode, _ message: String, upstream: GatewayError.Upstream? = nil, retryAfter: Int? = nil) -> GatewayError {
        GatewayError(code, message, retryAfterSeconds: retryAfter, connection: name, provider: kind, upstream: upstream)
    }

    /// An upstream message with any of this connection's secrets blanked out, safe to show a caller
    /// (an upstream that echoes a bad key back must not leak it through the gateway).
    public func scrub(_ message: String?) -> String? {
        guard var text = message else { return nil }
        for secret in credentials.values where secret.value.count >= 4 {
            text = text.replacingOccurrences(of: secret.value, with: "***")
        }
        return String(text.prefix(500))
    }
}
