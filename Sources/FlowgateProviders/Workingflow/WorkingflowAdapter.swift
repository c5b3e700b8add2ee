import FlowgateCore

/// Workingflow: translation of the canonical operations (docs/providers.md#workingflow, docs/upstreams/workingflow.md).
///
/// Workingflow has no instance list, cancel, pause, timeline or events: those keep the protocol's
/// `501 NOT_SUPPORTED` defaults. Every call carries `Authorization: Bearer <api_key>`.
public struct WorkingflowAdapter: ProviderAdapter {
    /// Routes this adapter calls, with the path placeholders each must have; checked at start-up.
    public static let requiredRoutes: [String: Set<String>] = [
        "list_definitions": [],
        "get_instance": ["id"],
        "start_instance": ["key"],
        "download_file": ["id", "name"],
    ]

    public let connection: ProviderConnection
    let transport: any UpstreamTransport
    let json: UpstreamJSON
    let mapping: WorkingflowMapping

    public init(connection: ProviderConnection, transport: any UpstreamTransport) {
        self.connection = connection
        self.transport = transport
        self.json = UpstreamJSON(connection)
        self.mapping = WorkingflowMapping(connection)
    }

    /// A bare array, unpaged.
    public func listDefinitions(includeRaw: Bool) async throws -> [Definition] {
        let list = try json.array(try await send(try upstreamCall("list_definitions")), "the answer")
        return try list.map { try mapping.definition($0, includeRaw: includeRaw) }
    }

    public func getInstance(_ native: String, includeRaw: Bool) async throws -> InstanceDetail {
        try mapping.detail(try await status(native), includeRaw: includeRaw)
    }

    /// `{"variables": input}`. Workingflow takes neither a business entity nor a client-chosen id, so
    /// either is refused rather than dropped. The start answer holds only the new id, so the instance is
    /// read back once; should that read fail, the start still succeeded and answers with what is known.
    public func startInstance(_ command: StartCommand) async throws -> Instance {
        var refused: [GatewayError.Detail] = []
        if command.entity != nil { refused.append(.init(field: "entity", issue: "Workingflow processes have no entity; leave it out")) }
        if command.instanceID != nil { refused.append(.init(field: "instance_id", issue: "Workingflow assigns instance ids itself; leave it out")) }
        if !refused.isEmpty {
            var error = GatewayError.invalid(refused)
            error.connection = connection.name
            error.provider = connection.kind
            throw error
        }
        var call = try upstreamCall("start_instance", ["key": command.definition])
        try call.setJSONBody(.object(["variables": .object(command.input)]))
        let started = try json.object(try await send(call), "the answer")
        let native = try json.identifier(started["processInstanceId"], "processInstanceId")
        if let detail = try? await getInstance(native, includeRaw: false) { return detail.instance }
        // A 201 means the engine accepted and started the process: it is running as far as anyone knows.
        return Instance(
            id: connection.id(native), provider: .workingflow, definition: .init(id: connection.id(command.definition).description, name: nil),
            status: .running, providerStatus: nil
        )
    }

    public func data(_ native: String) async throws -> InstanceData {
        let detail = try mapping.detail(try await status(native), includeRaw: false)
        return InstanceData(id: connection.id(native), variables: detail.variables)
    }

    /// The server streams the answer: bytes, `Content-Type` and `Content-Disposition` pass through untouched.
    /// A file is whatever type the upstream stored: accept anything, the server passes it through.
    public func fileCall(_ native: String, name: String) async throws -> UpstreamCall {
        var call = try upstreamCall("download_file", ["id": native, "name": name])
        call.addHeader("Accept", "*/*")
        return call
    }

    public func failure(_ reply: UpstreamReply, of call: UpstreamCall) -> GatewayError {
        WorkingflowErrors.failure(reply, connection: connection)
    }

    // MARK: - Calls

    private func status(_ native: String) async throws -> JSONValue {
        try await send(try upstreamCall("get_instance", ["id": native]))
    }

    private func upstreamCall(_ route: String, _ parameters: [String: String] = [:]) throws -> UpstreamCall {
        var call = try connection.routes.call(route, parameters)
        for header in try credentialHeaders() { call.addHeader(header.name, header.value) }
        return call
    }

    private func send(_ call: UpstreamCall) async throws -> JSONValue {
        let reply = try await transport.send(call)
        guard reply.isSuccess else { throw failure(reply, of: call) }
        return try json.document(reply)
    }
}
