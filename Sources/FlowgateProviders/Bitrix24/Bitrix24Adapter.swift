import FlowgateCore

/// Bitrix24: translation of the canonical operations (docs/providers.md).
///
/// The vibecode facade lists only running workflows and has no get-one endpoint, so get and the
/// lookup before a cancel scan that list; there is no timeline, data, file, pause or event API, so
/// those stay on the `501` defaults.
public struct Bitrix24Adapter: ProviderAdapter {
    /// Routes this adapter calls, with the path placeholders each must have; checked at start-up.
    public static let requiredRoutes: [String: Set<String>] = [
        "list_definitions": [], "list_definitions_fallback": [], "list_instances": [], "start_instance": [], "cancel_instance": ["id"],
    ]

    /// Upstream pages (of 50) one list page may read while date filters, applied here, drop items.
    static let maxListPages = 5
    /// Upstream pages a get scans for its id: 500 running workflows.
    static let maxGetPages = 10
    /// Upstream pages the lookup before a cancel scans; the cancel goes ahead either way.
    static let maxCancelLookupPages = 2
    /// Templates asked per page of the generic entity list, and pages read at most.
    static let templatePageSize = 500
    static let maxTemplatePages = 10

    public let connection: ProviderConnection
    let transport: any UpstreamTransport
    /// Which templates path this connection's upstream answers on, once known.
    let templatesPath = Bitrix24TemplatesPath()

    public init(connection: ProviderConnection, transport: any UpstreamTransport) {
        self.connection = connection
        self.transport = transport
    }

    var mapping: Bitrix24Mapping { Bitrix24Mapping(connection: connection) }

    public func failure(_ reply: UpstreamReply, of call: UpstreamCall) -> GatewayError {
        Bitrix24Errors.failure(reply, connection: connection)
    }

    public func listInstances(_ request: InstancePageRequest) async throws -> InstancePage {
        let filter = request.filter
        // Only running workflows are visible: asking for anything else has an answer without asking.
        if let statuses = filter.statuses, !statuses.contains(.running) { return InstancePage(items: [], end: nil) }
        let template = try filter.definition.map { try templateID($0, field: "definition") }
        return try await OffsetScan.run(
            from: try OffsetScan.offset(request.position), limit: request.limit, maxPages: Self.maxListPages, admits: filter.admits
        ) { offset in
            try await workflowsPage(offset: offset, templateID: template, includeRaw: request.includeRaw)
        }
    }

    public func getInstance(_ native: String, includeRaw: Bool) async throws -> InstanceDetail {
        guard let instance = try await find(native, maxPages: Self.maxGetPages, includeRaw: includeRaw) else {
            throw connection.error(
                .notFound, "No running Bitrix24 workflow has this id: Bitrix24 shows running workflows only, so one that ended is gone too"
            )
        }
        return InstanceDetail(instance: instance)
    }

    public func startInstance(_ command: StartCommand) async throws -> Instance {
        let start = try Bitrix24Start(command, connection: connection)
        var call = try connection.routes.call("start_instance")
        try call.setJSONBody(start.body)
        let root = try mapping.envelope(try await send(call))
        let data = try mapping.json.object(root["data"], "data")
        let id = try mapping.json.identifier(data["workflowId"], "data.workflowId")
        return Instance(
            id: connection.id(id), provider: .bitrix24, definition: .init(id: connection.id(command.definition).description, name: nil),
            status: .running, providerStatus: nil, entity: .init(type: start.entityType, id: String(start.entityID))
        )
    }

    /// Looks the instance up first (bounded, best effort) so the answer carries its definition, start time
    /// and entity; then `DELETE`. A soft terminate may let the current step finish upstream, but the
    /// upstream accepted it, which is what `cancelled` promises here. `force` reaches here only for a
    /// connection configured with `allow_force_cancel: true` (the server refuses it otherwise).
    public func cancelInstance(_ native: String, _ command: CancelCommand) async throws -> Instance {
        let known = try? await find(native, maxPages: Self.maxCancelLookupPages, includeRaw: false)
        var call = try connection.routes.call("cancel_instance", ["id": native])
        if let reason = command.reason, !reason.isEmpty { call.addQuery("status", reason) }
        if command.force { call.addQuery("force", "true") }
        _ = try await send(call)
        var instance =
            known
            ?? Instance(
                id: connection.id(native), provider: .bitrix24, definition: .init(id: nil, name: nil), status: .cancelled, providerStatus: nil)
        instance.status = .cancelled
        return instance
    }

    /// The running instance with this id, scanning at most `maxPages` pages of the list.
    private func find(_ native: String, maxPages: Int, includeRaw: Bool) async throws -> Instance? {
        let page = try await OffsetScan.run(from: 0, limit: 1, maxPages: maxPages, admits: { $0.id.native == native }) { offset in
            try await workflowsPage(offset: offset, templateID: nil, includeRaw: includeRaw)
        }
        return page.items.first?.instance
    }

    /// A definition's native id as the numeric `templateId` the upstream takes.
    func templateID(_ native: String, field: String) throws -> String {
        guard Bitrix24Mapping.isNumber(native) else {
            let issue = "is not a Bitrix24 template id (a positive number after '\(connection.name):')"
            throw Bitrix24Start.invalid([.init(field: field, issue: issue)], connection: connection)
        }
        return native
    }
}
