import FlowgateCore
import FlowgateProviders
import Hummingbird

/// `GET /v1/definitions` and `GET /v1/instances`: fan-outs over the caller's connections.
struct ListHandlers: Sendable {
    let services: GatewayServices

    func definitions(_ request: Request, _ context: GatewayRequestContext, _ read: ResolvedRead) async throws -> CanonicalAnswer {
        let tenant = try context.requireCaller().tenant
        let query = QueryReader(request)
        let named = try query.connections()
        let strict = try query.bool("strict") ?? false
        let includeRaw = try query.includeRaw()
        let selection = try Selection(tenant: tenant, named: named, operation: .listDefinitions)
        let adapters = try context.requireGeneration().adapters
        let outcome = try await FanOut.run(selection.connections, strict: strict, logger: context.logger) { name in
            try await adapters.endpoint(tenant: tenant.name, connection: name).adapter.listDefinitions(includeRaw: includeRaw)
        }
        let definitions = outcome.values.flatMap(\.value)
        let meta = outcome.meta(skipped: selection.skipped, requestID: context.requestID)
        return try .json(.ok, Envelope(data: definitions, meta: meta), partial: meta.partial)
    }

    func instances(_ request: Request, _ context: GatewayRequestContext, _ read: ResolvedRead) async throws -> CanonicalAnswer {
        let tenant = try context.requireCaller().tenant
        let generation = try context.requireGeneration()
        let query = try InstanceListQuery.parse(QueryReader(request))
        var named = query.connections
        if let definition = query.definition {
            _ = try tenant.connection(named: definition.connection)
            if !named.isEmpty && !named.contains(definition.connection) {
                throw GatewayError.invalid("definition", "belongs to connection '\(definition.connection)', which the connection filter leaves out")
            }
            named = [definition.connection]
        }
        let selection = try Selection(tenant: tenant, named: named, operation: .listInstances)
        let cursor = try query.cursor.map { try generation.cursors.open($0, tenant: tenant.name, query: query.fingerprint) }
        // A cursor lists only the connections it still has positions for; `.null` = from the start.
        let starts: [String: JSONValue] =
            cursor?.positions ?? Dictionary(uniqueKeysWithValues: selection.connections.map { ($0, JSONValue.null) })
        let active = selection.connections.filter { starts[$0] != nil }
        let adapters = generation.adapters
        let outcome = try await FanOut.run(active, strict: query.strict, logger: context.logger) { name in
            let filter = InstanceFilter(
                statuses: query.statuses, definition: query.definition?.native, startedAfter: query.startedAfter,
                startedBefore: query.startedBefore
            )
            let start = starts[name].flatMap { $0 == .null ? nil : $0 }
            let page = InstancePageRequest(filter: filter, limit: query.limit, position: start, includeRaw: query.includeRaw)
            return try await adapters.endpoint(tenant: tenant.name, connection: name).adapter.listInstances(page)
        }
        let pages = outcome.values.map(\.value)
        let merged = PageMerge.merge(pages, limit: query.limit)
        var positions: [String: JSONValue] = [:]
        for (index, (name, page)) in outcome.values.enumerated() {
            switch PageMerge.continuation(of: page, taking: merged.counts[index], from: starts[name].flatMap { $0 == .null ? nil : $0 }) {
            case .fromStart: positions[name] = .null
            case .at(let position): positions[name] = position
            case .exhausted: break
            }
        }
        // A connection that failed keeps its position: the next page asks it again.
        for failure in outcome.failures { positions[failure.connection] = starts[failure.connection] }
        let next =
            positions.isEmpty ? nil : try generation.cursors.seal(ListCursor(tenant: tenant.name, query: query.fingerprint, positions: positions))
        let items = merged.taken.map { pages[$0.page].items[$0.item].instance }
        let bounded = outcome.values.filter { $0.value.bounded }.map(\.connection)
        let meta = ListMeta(
            nextCursor: next, limit: query.limit, fanOut: outcome.meta(skipped: selection.skipped, requestID: context.requestID), bounded: bounded
        )
        return try .json(.ok, Envelope(data: items, meta: meta), partial: meta.partial)
    }
}

/// The connections a fan-out asks, and those it skips because their provider lacks the operation.
struct Selection: Sendable {
    var connections: [String] = []
    var skipped: [SkippedConnection] = []

    /// `named` empty means every connection of the tenant, in config order.
    init(tenant: TenantDirectory.Tenant, named: [String], operation: CanonicalOperation) throws {
        var seen: Set<String> = []
        let names = named.isEmpty ? tenant.connectionOrder : named.filter { seen.insert($0).inserted }
        var unsupported: GatewayError?
        for name in names {
            let connection = try tenant.connection(named: name)
            if ProviderProfile.of(connection.provider).capabilities.contains(operation) {
                connections.append(name)
            } else {
                skipped.append(SkippedConnection(connection: name, reason: ErrorCode.notSupported.rawValue))
                unsupported =
                    unsupported
                    ?? GatewayError(
                        .notSupported, "\(connection.provider.rawValue) does not support \(operation.rawValue)",
                        connection: name, provider: connection.provider
                    )
            }
        }
        // Asking only for connections that cannot answer is a question the gateway cannot serve.
        if connections.isEmpty, !named.isEmpty, let unsupported { throw unsupported }
    }
}
