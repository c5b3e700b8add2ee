import FlowgateCore
import FlowgateProviders

/// The honest answer for an operation before the provider adapters serve it: `501 NOT_SUPPORTED`,
/// naming the provider — and saying whether the provider lacks the operation for good or whether this
/// version of the gateway does not translate it yet. Never a fake success.
enum OperationAvailability {
    static func unavailable(_ operation: CanonicalOperation, on connection: ConnectionConfig) -> GatewayError {
        let profile = ProviderProfile.of(connection.provider)
        let message =
            profile.capabilities.contains(operation)
            ? "\(operation.rawValue) through \(connection.provider.rawValue) is not available in this version of Flowgate"
            : "\(connection.provider.rawValue) does not support \(operation.rawValue)"
        return GatewayError(.notSupported, message, connection: connection.name, provider: connection.provider)
    }

    /// For fan-out reads over a tenant's connections.
    static func unavailable(_ operation: CanonicalOperation) -> GatewayError {
        GatewayError(.notSupported, "\(operation.rawValue) is not available in this version of Flowgate")
    }
}
