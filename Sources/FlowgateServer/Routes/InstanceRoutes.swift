import HTTPTypes
import FlowgateCore
import Hummingbird

/// The canonical workflow routes. Each validates its request completely — ids, query, body, the
/// caller's connection — and then hands over to the provider adapters, which answer
/// `501 NOT_SUPPORTED` until they translate the operation (see ``OperationAvailability``).
struct InstanceRoutes: Sendable {
    let services: GatewayServices

    private var maxBody: Int { services.config.server.maxBodyBytes }

    func listDefinitions(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let tenant = try context.requireCaller().tenant
        let query = QueryReader(request)
        for name in try query.all("connection") { _ = try tenant.connection(named: name) }
        _ = try query.bool("strict")
        _ = try query.includeRaw()
        throw OperationAvailability.unavailable(.listDefinitions)
    }

    func listInstances(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let query = try InstanceListQuery.parse(QueryReader(request))
        for name in query.connections { _ = try caller.tenant.connection(named: name) }
        if let definition = query.definition { _ = try caller.tenant.connection(named: definition.connection) }
        if let token = query.cursor {
            _ = try services.cursors.open(token, tenant: caller.tenant.name, query: query.fingerprint)
        }
        throw OperationAvailability.unavailable(.listInstances)
    }

    func start(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let tenant = try context.requireCaller().tenant
        _ = try IdempotencyKey.read(request)
        let start = try StartRequest.parse(try await RequestBodyReader.object(request, limit: maxBody))
        let connection = try tenant.connection(named: start.definition.connection)
        throw OperationAvailability.unavailable(.startInstance, on: connection)
    }

    func get(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let connection = try instanceConnection(context)
        _ = try QueryReader(request).includeRaw()
        throw OperationAvailability.unavailable(.getInstance, on: connection)
    }

    func cancel(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let connection = try instanceConnection(context)
        _ = try IdempotencyKey.read(request)
        _ = try CancelRequest.parse(try await RequestBodyReader.object(request, limit: maxBody))
        throw OperationAvailability.unavailable(.cancelInstance, on: connection)
    }

    /// pause, resume and restart take no options: the body must be empty or `{}`.
    func changeState(_ operation: CanonicalOperation) -> @Sendable (Request, GatewayRequestContext) async throws -> Response {
        { request, context in
            let connection = try instanceConnection(context)
            let body = try await RequestBodyReader.object(request, limit: maxBody)
            if let field = body.keys.sorted().first { throw GatewayError.invalid(String(field.prefix(64)), "unknown field") }
            throw OperationAvailability.unavailable(operation, on: connection)
        }
    }

    func sendEvent(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let connection = try instanceConnection(context)
        _ = try PathParameters.segment("type", context, maxLength: 100)
        _ = try await RequestBodyReader.json(request, limit: maxBody)
        throw OperationAvailability.unavailable(.sendEvent, on: connection)
    }

    func read(_ operation: CanonicalOperation) -> @Sendable (Request, GatewayRequestContext) async throws -> Response {
        { _, context in
            let connection = try instanceConnection(context)
            throw OperationAvailability.unavailable(operation, on: connection)
        }
    }

    func file(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let connection = try instanceConnection(context)
        _ = try PathParameters.segment("name", context, maxLength: 255)
        throw OperationAvailability.unavailable(.downloadFile, on: connection)
    }

    /// The `{id}` of the path, resolved to one of the caller's connections (`404` for anyone else's).
    private func instanceConnection(_ context: GatewayRequestContext) throws -> ConnectionConfig {
        let id = try PathParameters.instanceID(context)
        return try context.requireCaller().tenant.connection(named: id.connection)
    }
}

/// The `Idempotency-Key` header of starts and cancels (DESIGN §2).
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
