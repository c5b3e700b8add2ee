import FlowgateCore
import FlowgateProviders
import HTTPTypes
import Hummingbird

/// The canonical routes on one instance, and start. Each validates its request completely — ids,
/// query, body, the caller's connection — before the connection's adapter makes any upstream call.
struct InstanceHandlers: Sendable {
    let services: GatewayServices

    private var idempotency: IdempotentExecution { IdempotentExecution(store: services.idempotency) }

    func start(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let tenant = try context.requireCaller().tenant
        let key = try IdempotencyKey.read(request)
        let body = try await Self.bodyObject(request, context)
        let start = try StartRequest.parse(body)
        let connection = try tenant.connection(named: start.definition.connection)
        try ProviderProfile.of(connection.provider).check(.startInstance, connection: connection.name)
        let adapter = try context.requireGeneration().adapters.endpoint(tenant: tenant.name, connection: start.definition.connection).adapter
        let canonicalBody = String(decoding: try CanonicalJSON.encode(JSONValue.object(body)), as: UTF8.self)
        return try await idempotency.run(key: key, tenant: tenant.name, request: ["start", canonicalBody]) {
            let command = StartCommand(
                definition: start.definition.native, input: start.input, entity: start.entity, instanceID: start.instanceID
            )
            let instance = try await adapter.startInstance(command)
            await services.cache.invalidate(tenant: tenant.name, connection: instance.connection, instance: nil)
            return try JSONAnswer.make(.created, Envelope(data: instance))
        }
    }

    func get(_ request: Request, _ context: GatewayRequestContext, _ read: ResolvedRead) async throws -> CanonicalAnswer {
        let (id, adapter) = try read.requireInstance()
        let includeRaw = try QueryReader(request).includeRaw()
        return try .json(.ok, Envelope(data: try await adapter.getInstance(id.native, includeRaw: includeRaw)))
    }

    func cancel(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let (id, adapter) = try target(context, .cancelInstance)
        let tenant = try context.requireCaller().tenant
        let key = try IdempotencyKey.read(request)
        let body = try await Self.bodyObject(request, context)
        let cancel = try CancelRequest.parse(body)
        try cancel.checkForce(allowed: try tenant.connection(named: id.connection))
        let canonicalBody = String(decoding: try CanonicalJSON.encode(JSONValue.object(body)), as: UTF8.self)
        return try await idempotency.run(key: key, tenant: tenant.name, request: ["cancel", id.description, canonicalBody]) {
            let command = CancelCommand(reason: cancel.reason, force: cancel.force)
            let instance = try await adapter.cancelInstance(id.native, command)
            await services.cache.invalidate(tenant: tenant.name, connection: id.connection, instance: id)
            return try JSONAnswer.make(.ok, Envelope(data: instance))
        }
    }

    /// pause, resume and restart take no options: the body must be empty or `{}`.
    func changeState(_ change: StateChange) -> @Sendable (Request, GatewayRequestContext) async throws -> Response {
        { request, context in
            let (id, adapter) = try target(context, change.operation)
            let body = try await Self.bodyObject(request, context)
            if let field = body.keys.sorted().first { throw GatewayError.invalid(FieldName.printable(field), "unknown field") }
            let instance = try await adapter.changeState(id.native, to: change)
            await invalidate(id, context)
            return try JSONResponse.make(.ok, Envelope(data: instance))
        }
    }

    func sendEvent(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let (id, adapter) = try target(context, .sendEvent)
        let type = try PathParameters.segment("type", context, bound: InputBounds.eventType)
        let payload = try await RequestBodyReader.json(request, limit: try context.requireGeneration().config.server.maxBodyBytes) ?? .null
        try await adapter.sendEvent(id.native, type: type, payload: payload)
        await invalidate(id, context)
        return try JSONResponse.make(.accepted, Envelope(data: EventAccepted(instanceID: id, type: type)))
    }

    func timeline(_ request: Request, _ context: GatewayRequestContext, _ read: ResolvedRead) async throws -> CanonicalAnswer {
        let (id, adapter) = try read.requireInstance()
        return try .json(.ok, Envelope(data: try await adapter.timeline(id.native)))
    }

    func data(_ request: Request, _ context: GatewayRequestContext, _ read: ResolvedRead) async throws -> CanonicalAnswer {
        let (id, adapter) = try read.requireInstance()
        return try .json(.ok, Envelope(data: try await adapter.data(id.native)))
    }

    func file(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let id = try PathParameters.instanceID(context)
        let name = try PathParameters.segment("name", context, bound: InputBounds.fileName)
        let tenant = try context.requireCaller().tenant
        let connection = try tenant.connection(named: id.connection)
        try ProviderProfile.of(connection.provider).check(.downloadFile, connection: connection.name)
        let endpoint = try context.requireGeneration().adapters.endpoint(tenant: tenant.name, connection: id.connection)
        return try await FileDownload.stream(id: id, name: name, endpoint: endpoint)
    }

    /// A write went through: the instance's cached answers and its connection's lists are wrong now.
    private func invalidate(_ id: CanonicalID, _ context: GatewayRequestContext) async {
        guard let tenant = context.caller?.tenant else { return }
        await services.cache.invalidate(tenant: tenant.name, connection: id.connection, instance: id)
    }

    /// The JSON object body, bounded by the request's config generation's `max_body_bytes`.
    private static func bodyObject(_ request: Request, _ context: GatewayRequestContext) async throws -> [String: JSONValue] {
        try await RequestBodyReader.object(request, limit: try context.requireGeneration().config.server.maxBodyBytes)
    }

    /// The `{id}` of the path and the adapter of its connection (`404` for anyone else's connection,
    /// `501` when its provider lacks `operation`).
    private func target(_ context: GatewayRequestContext, _ operation: CanonicalOperation) throws -> (CanonicalID, any ProviderAdapter) {
        let id = try PathParameters.instanceID(context)
        let tenant = try context.requireCaller().tenant
        let connection = try tenant.connection(named: id.connection)
        try ProviderProfile.of(connection.provider).check(operation, connection: connection.name)
        return (id, try context.requireGeneration().adapters.endpoint(tenant: tenant.name, connection: id.connection).adapter)
    }
}

/// A JSON answer as bytes, for the idempotency store to keep and replay.
enum JSONAnswer {
    static func make(_ status: HTTPResponse.Status, _ value: some Encodable) throws -> StoredResponse {
        StoredResponse(status: status.code, body: try CanonicalJSON.bytes(value))
    }
}

/// The `Idempotency-Key` header of starts and cancels (docs/canonical-api.md#idempotency).
enum IdempotencyKey {
    static func read(_ request: Request) throws -> String? {
        guard let key = request.headers[.idempotencyKey] else { return nil }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw GatewayError.invalid("Idempotency-Key", "must be 1–255 visible ASCII characters")
        }
        return key
    }
}

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
}
