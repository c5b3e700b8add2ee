import FlowgateCore

/// Bitrix24: translation of the canonical operations (DESIGN §7, upstreams.md §5).
public struct Bitrix24Adapter: ProviderAdapter {
    /// Routes this adapter calls, with the path placeholders each must have; checked at start-up.
    public static let requiredRoutes: [String: Set<String>] = [:]

    public let connection: ProviderConnection
    let transport: any UpstreamTransport

    public init(connection: ProviderConnection, transport: any UpstreamTransport) {
        self.connection = connection
        self.transport = transport
    }

    public func failure(_ reply: UpstreamReply, of call: UpstreamCall) -> GatewayError {
        connection.error(UpstreamErrorTable.byStatus(reply.status), "Bitrix24 answered \(reply.status)", upstream: .init(status: reply.status, code: nil, message: nil))
    }
}
