import FlowgateCore

/// Makes the adapter for a connection, and says what each adapter needs of its route table.
public enum ProviderAdapters {
    public static func make(_ connection: ProviderConnection, transport: any UpstreamTransport) -> any ProviderAdapter {
        switch connection.kind {
        case .bitrix24: Bitrix24Adapter(connection: connection, transport: transport)
        case .workingflow: WorkingflowAdapter(connection: connection, transport: transport)
        case .geotareas: GeotareasAdapter(connection: connection, transport: transport)
        case .cloudflare: CloudflareAdapter(connection: connection, transport: transport)
        }
    }

    /// Route names each adapter calls, with the placeholders their paths must have.
    public static func requiredRoutes(_ kind: ProviderKind) -> [String: Set<String>] {
        switch kind {
        case .bitrix24: Bitrix24Adapter.requiredRoutes
        case .workingflow: WorkingflowAdapter.requiredRoutes
        case .geotareas: GeotareasAdapter.requiredRoutes
        case .cloudflare: CloudflareAdapter.requiredRoutes
        }
    }
}
