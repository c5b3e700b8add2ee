import FlowgateCore

/// Cloudflare Workflows: translation of the canonical operations (docs/providers.md).
///
/// Native instance ids are `<workflow_name>:<instance_id>` (``CloudflareNativeID``); definitions are
/// workflows, addressed by name. Every call carries `Authorization: Bearer <api_token>` and the
/// connection's account id in its path.
public struct CloudflareAdapter: ProviderAdapter {
    /// Routes this adapter calls, with the path placeholders each must have; checked at start-up.
    public static let requiredRoutes: [String: Set<String>] = [
        "list_definitions": ["account_id"],
        "list_workflows": ["account_id"],
        "list_instances": ["account_id", "workflow"],
        "get_instance": ["account_id", "workflow", "id"],
        "start_instance": ["account_id", "workflow"],
        "change_status": ["account_id", "workflow", "id"],
        "send_event": ["account_id", "workflow", "id", "type"],
    ]

    /// `GET /workflows` pages of 100 read at most: 1000 workflows per account.
    static let maxWorkflowPages = 10

    public let connection: ProviderConnection
    let transport: any UpstreamTransport
    let json: UpstreamJSON
    let mapping: CloudflareMapping

    public init(connection: ProviderConnection, transport: any UpstreamTransport) {
        self.connection = connection
        self.transport = transport
        self.json = UpstreamJSON(connection)
        self.mapping = CloudflareMapping(connection)
    }

    public func listDefinitions(includeRaw: Bool) async throws -> [Definition] {
        try await workflows(route: "list_definitions").map { try mapping.definition($0, includeRaw: includeRaw) }
    }

    public func listInstances(_ request: InstancePageRequest) async throws -> InstancePage {
        try await CloudflareListing(adapter: self).page(request)
    }

    public func getInstance(_ native: String, includeRaw: Bool) async throws -> InstanceDetail {
        let id = try CloudflareNativeID.parse(native, connection: connection)
        return try mapping.detail(try await record(id), id: id, includeRaw: includeRaw)
    }

    /// `params` is the input, always sent as a JSON object (the SDKs disagree on its type); the
    /// caller's `instance_id` is Cloudflare's own idempotency key. Cloudflare instances have no business
    /// entity, so an `entity` is refused rather than dropped.
    public func startInstance(_ command: StartCommand) async throws -> Instance {
        try CloudflareNativeID.checkWorkflow(command.definition, field: "definition", connection: connection)
        if command.entity != nil {
            throw CloudflareNativeID.invalid("entity", "Cloudflare instances have no entity; leave it out", connection: connection)
        }
        var body: [String: JSONValue] = ["params": .object(command.input)]
        if let instanceID = command.instanceID {
            try CloudflareNativeID.checkNewInstanceID(instanceID, connection: connection)
            body["instance_id"] = .string(instanceID)
        }
        var call = try upstreamCall("start_instance", ["workflow": command.definition])
        try call.setJSONBody(.object(body))
        return try mapping.created(try await send(call).result, workflow: command.definition)
    }

    /// `terminate`. Cloudflare's terminate takes no reason, and its only option (`rollback`) is not a
    /// forced kill, so `reason` and `force` have nothing to go to (the canonical schema says so).
    public func cancelInstance(_ native: String, _ command: CancelCommand) async throws -> Instance {
        try await changeStatus(native, to: "terminate")
    }

    /// `pause`, `resume`, `restart` (from the beginning: the canonical restart has no step to start from).
    public func changeState(_ native: String, to change: StateChange) async throws -> Instance {
        try await changeStatus(native, to: change.rawValue)
    }

    /// The payload is the request body, passed through. No body at all (`.null`) is sent as the JSON
    /// `null`: Cloudflare's event body is "any JSON", which an empty body is not, and `null` is what
    /// "no payload" means in JSON.
    public func sendEvent(_ native: String, type: String, payload: JSONValue) async throws {
        let id = try CloudflareNativeID.parse(native, connection: connection)
        var call = try upstreamCall("send_event", ["workflow": id.workflow, "id": id.instance, "type": type])
        try call.setJSONBody(payload)
        _ = try await send(call)
    }

    public func timeline(_ native: String) async throws -> [TimelineEvent] {
        let id = try CloudflareNativeID.parse(native, connection: connection)
        return CloudflareTimeline.events(try CloudflareRecord(try await record(id), json: json))
    }

    public func data(_ native: String) async throws -> InstanceData {
        let id = try CloudflareNativeID.parse(native, connection: connection)
        return CloudflareTimeline.data(try CloudflareRecord(try await record(id), json: json), id: connection.id(id.native))
    }

    public func failure(_ reply: UpstreamReply, of call: UpstreamCall) -> GatewayError {
        CloudflareErrors.failure(reply, connection: connection)
    }

    // MARK: - Calls

    private func changeStatus(_ native: String, to status: String) async throws -> Instance {
        let id = try CloudflareNativeID.parse(native, connection: connection)
        var call = try upstreamCall("change_status", ["workflow": id.workflow, "id": id.instance])
        try call.setJSONBody(.object(["status": .string(status)]))
        return try mapping.changed(try await send(call).result, id: id)
    }

    /// `GET …/instances/{id}` with its full step log, oldest step first.
    private func record(_ id: CloudflareNativeID) async throws -> JSONValue {
        try await send(try upstreamCall("get_instance", ["workflow": id.workflow, "id": id.instance])).result
    }

    /// Every workflow of the account, page by page (page mode only, as `GET /workflows` documents), to
    /// `total_count` or, without one, to the first page that is not full.
    func workflows(route: String) async throws -> [JSONValue] {
        var all: [JSONValue] = []
        var page = CloudflareStreamPosition.Page.number(1, perPage: 100)
        for _ in 1...Self.maxWorkflowPages {
            guard case .number(let number, let perPage) = page else { break }
            var call = try upstreamCall(route)
            call.addQuery("page", String(number))
            call.addQuery("per_page", String(perPage))
            let answer = try await send(call)
            var info = answer.listInfo(json)
            info.cursor = nil  // this list pages by number only
            let listed = CloudflareListPage(items: try json.array(answer.result, "result"), asked: page, info: info)
            all += listed.items
            guard let next = listed.next else { break }
            page = next
        }
        return all
    }

    /// The call for `route` with the account filled in and the API token attached.
    func upstreamCall(_ route: String, _ parameters: [String: String] = [:]) throws -> UpstreamCall {
        guard let account = connection.accountID else {
            throw connection.error(.internalError, "Connection \(connection.name) has no account_id")
        }
        var call = try connection.routes.call(route, parameters.merging(["account_id": account]) { own, _ in own })
        for header in try credentialHeaders() { call.addHeader(header.name, header.value) }
        return call
    }

    func send(_ call: UpstreamCall) async throws -> CloudflareAnswer {
        let reply = try await transport.send(call)
        guard reply.isSuccess else { throw failure(reply, of: call) }
        return try CloudflareAnswer(reply, json: json)
    }
}
