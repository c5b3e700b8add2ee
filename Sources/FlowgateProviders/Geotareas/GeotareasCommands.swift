import FlowgateCore
import Foundation

/// The canonical list filters as Geotareas query parameters; all of them push down (docs/upstreams/geotareas.md#list-instances).
struct GeotareasListQuery {
    var parameters: [(name: String, value: String)] = []
    /// Several statuses were asked for: the upstream filters by one, so the gateway filters the rest.
    var filtersLocally = false

    /// Nil when no Geotareas instance can match (only statuses Geotareas has no word for).
    init?(_ filter: InstanceFilter, adapter: GeotareasAdapter) throws {
        if let statuses = filter.statuses {
            let words = GeotareasStatus.words(for: statuses)
            if words.isEmpty { return nil }
            if words.count == 1 { parameters.append(("status", words[0])) } else { filtersLocally = true }
        }
        if let definition = filter.definition {
            try adapter.checkID(definition, field: "definition")
            parameters.append(("definition_id", definition))
        }
        // Upstream start times are whole seconds: rounding the bounds inward to whole seconds keeps
        // exactly the instances the canonical (inclusive, sub-second) bounds admit.
        let zone = adapter.connection.timezone
        if let after = filter.startedAfter {
            parameters.append(("startdate", LocalTimestamp.format(Date(timeIntervalSince1970: after.timeIntervalSince1970.rounded(.up)), in: zone)))
        }
        if let before = filter.startedBefore {
            parameters.append(("enddate", LocalTimestamp.format(Date(timeIntervalSince1970: before.timeIntervalSince1970.rounded(.down)), in: zone)))
        }
    }
}

/// A canonical start checked against what `POST /workflow/instances` takes: a definition id, an entity
/// type (`NINGUNA` when none is given) and an optional entity id — and no input at all.
struct GeotareasStart {
    static let entityTypes: Set<String> = ["TAREA", "CUENTA", "CLIENTE", "PERSONAL", "DISPOSITIVO", "NINGUNA"]

    var definition: String
    var entityType: String
    var entityID: String?

    init(_ command: StartCommand, adapter: GeotareasAdapter) throws {
        var details: [GatewayError.Detail] = []
        if !GeotareasAdapter.isID(command.definition) {
            details.append(
                .init(field: "definition", issue: "is not a Geotareas definition id (up to 30 digits after '\(adapter.connection.name):')"))
        }
        // Dropping input silently would start something other than what the caller asked for.
        if !command.input.isEmpty {
            details.append(.init(field: "input", issue: "Geotareas starts take no input variables; send none or {}"))
        }
        if command.instanceID != nil {
            details.append(.init(field: "instance_id", issue: "Geotareas assigns instance ids itself"))
        }
        entityType = "NINGUNA"
        if let entity = command.entity {
            let type = entity.type.uppercased()
            if Self.entityTypes.contains(type) {
                entityType = type
            } else {
                details.append(
                    .init(field: "entity.type", issue: "must be one of \(Self.entityTypes.sorted().joined(separator: ", ")) for Geotareas"))
            }
            if entity.id.utf8.count > 30 { details.append(.init(field: "entity.id", issue: "is longer than the 30 bytes Geotareas accepts")) }
            entityID = entity.id
        }
        guard details.isEmpty else { throw GeotareasAdapter.invalid(details, connection: adapter.connection) }
        definition = command.definition
    }

    var body: JSONValue {
        var body: [String: JSONValue] = ["definition_id": .string(definition), "entity_type": .string(entityType)]
        if let entityID { body["entity_id"] = .string(entityID) }
        return .object(body)
    }
}
