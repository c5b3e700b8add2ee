import FlowgateCore
import Foundation

/// Geotareas: translation of the canonical operations (docs/providers.md).
///
/// Every call rides on the connection's login session (``GeotareasSession``), which lives as long as the
/// adapter: one adapter per connection for the life of the process. Pause, resume, restart, events and
/// files stay on the `501` defaults.
public struct GeotareasAdapter: ProviderAdapter {
    /// Routes this adapter calls, with the path placeholders each must have; checked at start-up.
    public static let requiredRoutes: [String: Set<String>] = [
        "login": [], "list_definitions": [], "list_instances": [], "get_instance": ["id"], "get_timeline": ["id"],
        "get_data": ["id"], "start_instance": [], "cancel_instance": ["id"],
    ]

    /// Geotareas' largest page.
    static let maxPageSize = 100
    /// Upstream pages one list page may read when several statuses are asked for (the upstream filters
    /// by one), and pages of definitions read at most.
    static let maxFilteredPages = 3
    static let maxDefinitionPages = 10
    /// Cancel requires a reason upstream; this one is sent when the caller gives none.
    static let defaultCancelReason = "Cancelled via Flowgate"

    public let connection: ProviderConnection
    let transport: any UpstreamTransport
    let session: GeotareasSession

    public init(connection: ProviderConnection, transport: any UpstreamTransport) {
        self.init(connection: connection, transport: transport, now: Date.init)
    }

    init(connection: ProviderConnection, transport: any UpstreamTransport, now: @escaping @Sendable () -> Date) {
        self.connection = connection
        self.transport = transport
        self.session = GeotareasSession(now: now) {
            try await Self.logIn(connection: connection, transport: transport, now: now())
        }
    }

    var mapping: GeotareasMapping { GeotareasMapping(connection: connection) }

    public func failure(_ reply: UpstreamReply, of call: UpstreamCall) -> GatewayError {
        GeotareasErrors.failure(reply, table: call.route == "login" ? GeotareasErrors.loginTable : GeotareasErrors.table, connection: connection)
    }

    /// Every definition, active or not: `startable` says which can be started. Offsets count upstream
    /// items (a skipped one must not shift the next page), and the list ends at the documented `meta.total`.
    public func listDefinitions(includeRaw: Bool) async throws -> [Definition] {
        var definitions: [Definition] = []
        var offset = 0
        for _ in 0..<Self.maxDefinitionPages {
            var call = try connection.routes.call("list_definitions")
            call.addQuery("status", "all")
            call.addQuery("limit", String(Self.maxPageSize))
            call.addQuery("offset", String(offset))
            let root = try mapping.envelope(try await send(call))
            let items = try mapping.json.array(root["data"], "data")
            for (index, item) in items.enumerated() {
                definitions.append(try mapping.definition(item, at: "data[\(index)]", includeRaw: includeRaw))
            }
            offset += items.count
            if items.isEmpty { break }
            if let total = OffsetScan.total(root, json: mapping.json) {
                if offset >= total { break }
            } else if items.count < Self.maxPageSize {
                break
            }
        }
        return definitions
    }

    public func listInstances(_ request: InstancePageRequest) async throws -> InstancePage {
        guard let query = try GeotareasListQuery(request.filter, adapter: self) else { return InstancePage(items: [], end: nil) }
        // One status (or none): every filter is pushed down and one upstream page is the answer. Several:
        // the upstream takes one, so the rest is filtered here over a bounded number of full pages.
        let pageSize = query.filtersLocally ? Self.maxPageSize : request.limit
        return try await OffsetScan.run(
            from: try OffsetScan.offset(request.position), limit: request.limit, maxPages: query.filtersLocally ? Self.maxFilteredPages : 1,
            admits: request.filter.admits
        ) { offset in
            var call = try connection.routes.call("list_instances")
            call.query = query.parameters
            call.addQuery("limit", String(pageSize))
            call.addQuery("offset", String(offset))
            let root = try mapping.envelope(try await send(call))
            let instances = try mapping.json.array(root["data"], "data").enumerated().map { index, item in
                try mapping.instance(item, at: "data[\(index)]", includeRaw: request.includeRaw)
            }
            return OffsetScan.Page(instances: instances, total: OffsetScan.total(root, json: mapping.json))
        }
    }

    public func getInstance(_ native: String, includeRaw: Bool) async throws -> InstanceDetail {
        try checkID(native, field: "id")
        let root = try mapping.envelope(try await send(try connection.routes.call("get_instance", ["id": native])))
        return try mapping.detail(root["data"] ?? .null, includeRaw: includeRaw)
    }

    public func startInstance(_ command: StartCommand) async throws -> Instance {
        let start = try GeotareasStart(command, adapter: self)
        var call = try connection.routes.call("start_instance")
        try call.setJSONBody(start.body)
        let data = try mapping.json.object(try mapping.envelope(try await send(call))["data"], "data")
        let status = try mapping.json.string(data["status"], "data.status")
        let step = mapping.json.text(data["current_step"], "start.current_step")
        return Instance(
            id: connection.id(try mapping.json.identifier(data["instance_id"], "data.instance_id")), provider: .geotareas,
            definition: .init(id: connection.id(command.definition).description, name: nil), status: GeotareasStatus.instance(status),
            providerStatus: status, entity: start.entityID.map { .init(type: start.entityType, id: $0) },
            currentStep: step.flatMap { $0.isEmpty ? nil : .init(id: nil, name: $0) }
        )
    }

    /// Reads the instance first, so an unknown id is a 404 without a write and the answer carries the
    /// definition, start time and entity; then cancels, and takes status and time from the cancel's answer.
    public func cancelInstance(_ native: String, _ command: CancelCommand) async throws -> Instance {
        try checkID(native, field: "id")
        var known: Instance?
        do {
            known = try await getInstance(native, includeRaw: false).instance
        } catch let error as GatewayError where error.code == .notFound {
            throw error
        } catch {
            known = nil  // The read is a courtesy; a busy read bucket must not block the cancel.
        }
        let reason = command.reason.flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultCancelReason
        var call = try connection.routes.call("cancel_instance", ["id": native])
        try call.setJSONBody(.object(["reason": .string(reason)]))
        let data = try mapping.json.object(try mapping.envelope(try await send(call))["data"], "data")
        let status = try mapping.json.string(data["status"], "data.status")
        var instance =
            known
            ?? Instance(
                id: connection.id(native), provider: .geotareas, definition: .init(id: nil, name: nil), status: .cancelled, providerStatus: nil)
        instance.status = GeotareasStatus.instance(status)
        instance.providerStatus = status
        instance.endedAt = mapping.time(data["cancelled_at"], "cancel.cancelled_at") ?? instance.endedAt
        instance.currentStep = nil
        // Cancelling closes every open task (Geotareas' cancel documentation).
        if instance.pendingTasks != nil { instance.pendingTasks = 0 }
        return instance
    }

    public func timeline(_ native: String) async throws -> [TimelineEvent] {
        try checkID(native, field: "id")
        let root = try mapping.envelope(try await send(try connection.routes.call("get_timeline", ["id": native])))
        return try mapping.json.array(root["data"], "data").compactMap(mapping.event)
    }

    public func data(_ native: String) async throws -> InstanceData {
        try checkID(native, field: "id")
        let root = try mapping.envelope(try await send(try connection.routes.call("get_data", ["id": native])))
        let steps = try mapping.json.array(root["data"], "data").compactMap(mapping.capture)
        return InstanceData(id: connection.id(native), steps: steps)
    }
}
