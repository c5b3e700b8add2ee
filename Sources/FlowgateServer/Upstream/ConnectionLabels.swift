import FlowgateCore

/// The labels that name one tenant's connection in metrics, errors and the breaker store.
struct ConnectionLabels: Sendable, Hashable {
    var tenant: String
    var connection: String
    var provider: ProviderKind

    /// `<connection>/<bucket>` (`geo/reads`), as errors and the `bucket` metric label name a bucket.
    func bucketLabel(_ bucket: String) -> String { "\(connection)/\(bucket)" }

    /// Breakers are per tenant's connection: connection names repeat across tenants.
    var breakerKey: String { "\(tenant)/\(connection)" }
}
