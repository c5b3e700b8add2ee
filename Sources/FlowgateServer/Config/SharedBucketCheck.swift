import FlowgateCore
import FlowgateProviders

/// Connections that draw from one bucket — two connections on one credential, or every Bitrix24
/// connection on one portal — must agree on its limit: the limiter keeps one state per bucket, and two
/// limits for it would each restart the other's.
enum SharedBucketCheck {
    /// Reports each connection whose `limits:` disagree with an earlier connection sharing the bucket.
    /// Runs on a config that is otherwise valid, so every tenant and connection sits at its index.
    static func check(_ tenants: [TenantConfig], tables: [ProviderKind: ProviderRoutes], reader: ConfigReader) {
        var seen: [String: (path: String, shape: BucketSpec.Shape?)] = [:]
        for (tenantIndex, tenant) in tenants.enumerated() {
            for (connectionIndex, connection) in tenant.connections.enumerated() {
                let path = "tenants[\(tenantIndex)].connections[\(connectionIndex)]"
                for (name, spec) in (tables[connection.provider]?.buckets ?? [:]).sorted(by: { $0.key < $1.key }) {
                    let identity = ConnectionAdapters.budgetOwner(connection, spec.keyedBy) + "/" + name
                    let shape = connection.limits[name]
                    guard let first = seen[identity] else {
                        seen[identity] = (path, shape)
                        continue
                    }
                    if first.shape != shape {
                        let sharing = spec.keyedBy == .portal ? "the same portal" : "the same credential"
                        reader.report(
                            "\(path).limits.\(name)", nil,
                            "draws from the same bucket as \(first.path) (\(sharing)) but sets another limit; connections sharing a bucket must agree"
                        )
                    }
                }
            }
        }
    }
}
