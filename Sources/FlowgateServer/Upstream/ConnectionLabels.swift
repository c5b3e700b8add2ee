import FlowgateCore

/// The labels that name one tenant's connection in metrics, errors and the breaker store.
struct ConnectionLabels: Sendable, Hashable {
    var tenant: String
    var connection: String
    var provider: ProviderKind
    /// A digest of the settings the connection's endpoint was built from: a reload that changes them
    /// gives the connection a fresh breaker, one that does not keeps its state.
    var configDigest: String = ""

    /// `<connection>/<bucket>` (`geo/reads`), as errors and the `bucket` metric label name a bucket.
    func bucketLabel(_ bucket: String) -> String { "\(connection)/\(bucket)" }

    /// Breakers are per tenant's connection (connection names repeat across tenants) and per
    /// configuration of it.
    var breakerKey: String { configDigest.isEmpty ? "\(tenant)/\(connection)" : "\(tenant)/\(connection)#\(configDigest)" }
}
