import FlowgateCore
import FlowgateProviders
import Hummingbird

/// A canonical read resolved once, before the cache is asked, from the request's pinned generation:
/// the cache lookup (key, TTL, tags) and, for a read of one instance, its parsed id and its connection
/// (config and endpoint). The cache stage makes it and the handler uses it, so the id is parsed once
/// and the tenant's connection looked up once per request.
struct ResolvedRead: Sendable {
    /// A read of one instance: `GET /v1/instances/{id}`, `/timeline`, `/data`.
    struct Instance: Sendable {
        let id: CanonicalID
        let connection: CachePolicy.Connection
    }

    let operation: CanonicalOperation
    /// Nil when the read is not cached (a list naming a connection the tenant lacks: its handler
    /// answers with the precise error).
    let lookup: ResponseCache.Lookup?
    /// Set for reads of one instance.
    let instance: Instance?

    /// Resolves `operation` for `request`; throws what the handler would for an invalid id (`400`) or
    /// an unknown connection (`404`), before any cache read.
    static func resolve(_ operation: CanonicalOperation, _ request: Request, _ context: GatewayRequestContext) throws -> ResolvedRead {
        let generation = try context.requireGeneration()
        let tenant = try context.requireCaller().tenant.name
        var lookup: ResponseCache.Lookup?
        var instance: Instance?
        switch operation {
        case .listDefinitions, .listInstances:
            lookup = generation.cachePolicy.listLookup(operation, tenant: tenant, request: request)
        default:
            let id = try PathParameters.instanceID(context)
            let connection = try generation.cachePolicy.connection(tenant: tenant, named: id.connection)
            lookup = generation.cachePolicy.instanceLookup(operation, tenant: tenant, id: id, connection: connection, request: request)
            instance = Instance(id: id, connection: connection)
        }
        lookup?.canonicalRoute = context.routeLabel
        return ResolvedRead(operation: operation, lookup: lookup, instance: instance)
    }

    /// The instance read's target, its provider checked for `operation` (`501` when it lacks it).
    func requireInstance() throws -> (CanonicalID, any ProviderAdapter) {
        guard let instance else { throw GatewayError(.internalError, "An instance read without its instance") }
        let config = instance.connection.config
        try ProviderProfile.of(config.provider).check(operation, connection: config.name)
        return (instance.id, instance.connection.endpoint.adapter)
    }
}
