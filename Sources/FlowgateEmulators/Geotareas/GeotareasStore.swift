import Foundation
import Synchronization

/// One row of `GET /workflow/tasks`: a task with the instance it belongs to.
struct GeotareasTaskRow: Sendable {
    var task: GeotareasTask
    var instanceID: String
    var workflowName: String
    var entity: GeotareasEntity
}

/// The emulator's state: definitions and instances behind one lock. Starts and cancels change it and
/// later reads see the change at once. The real upstream caches reads for 15–30 s;
/// the emulator does not, so a gateway test can start then read without sleeping.
final class GeotareasStore: Sendable {
    private let state: Mutex<GeotareasSeed.Snapshot>

    init(seed: GeotareasSeed.Snapshot) {
        state = Mutex(seed)
    }

    /// [INF] Definitions are listed by name.
    func definitions(_ query: GeotareasDefinitionQuery) -> (items: [GeotareasDefinition], total: Int) {
        let matching = state.withLock { $0.definitions }.filter(query.matches).sorted { $0.name < $1.name }
        return (Self.page(matching, limit: query.limit, offset: query.offset), matching.count)
    }

    func definition(id: String) -> GeotareasDefinition? {
        state.withLock { $0.definitions.first { $0.id == id } }
    }

    /// [INF] Instances are listed newest start first.
    func instances(_ query: GeotareasInstanceQuery) -> (items: [GeotareasInstance], total: Int) {
        let matching = state.withLock { $0.instances }.filter(query.matches).sorted(by: Self.newestFirst)
        return (Self.page(matching, limit: query.limit, offset: query.offset), matching.count)
    }

    func instance(id: String) -> GeotareasInstance? {
        state.withLock { $0.instances.first { $0.id == id } }
    }

    /// [INF] Tasks are listed newest first; overdue means open and past its due date.
    func tasks(_ query: GeotareasTaskQuery, now: Date) -> (items: [GeotareasTaskRow], total: Int) {
        let instances = state.withLock { $0.instances }
        let rows =
            instances
            .filter { instance in
                (query.definitionID.map { $0 == instance.definitionID } ?? true) && (query.entityType.map { $0 == instance.entity.type } ?? true)
            }
            .flatMap { instance in
                instance.tasks.map {
                    GeotareasTaskRow(task: $0, instanceID: instance.id, workflowName: instance.definitionName, entity: instance.entity)
                }
            }
            .filter { row in
                let overdue = row.task.status != .completed && (row.task.dueDate.map { $0 < now } ?? false)
                return (query.status.map { $0 == row.task.status } ?? true) && (!query.overdueOnly || overdue)
            }
            .sorted { ($0.task.createdAt, $0.task.id) > ($1.task.createdAt, $1.task.id) }
        return (Self.page(rows, limit: query.limit, offset: query.offset), rows.count)
    }

    /// Starts an instance of an active definition; it waits on the first step's task.
    func start(
        definitionID: String, entityType: GeotareasEntityType, entityID: String?, by starter: String, at now: Date
    ) throws
        -> GeotareasInstance
    {
        try state.withLock { state throws(GeotareasError) in
            guard let definition = state.definitions.first(where: { $0.id == definitionID }) else {
                throw .notFound("Workflow definition not found.")
            }
            // [INF] Undocumented checks a real server plausibly makes: the definition is active and
            // the entity type is the one it was built for.
            guard definition.isActive else { throw .validation("The workflow definition is inactive.") }
            guard definition.entityType == entityType else {
                throw .validation("entity_type must be \(definition.entityType.rawValue) for this workflow definition.")
            }
            let entity = GeotareasEntity(type: entityType, id: entityID, label: GeotareasSeed.label(of: entityID, type: entityType))
            let instance = state.builder.build(
                id: String(state.nextInstanceID), definition: definition, entity: entity, trigger: "manual", starter: starter, start: now,
                stepMinutes: [], ending: .running(pickedUp: false), asOf: now
            )
            state.nextInstanceID += 1
            state.instances.append(instance)
            return instance
        }
    }

    /// Cancels a running instance. [GAP] The error for cancelling an ended one is undocumented; the
    /// emulator answers 400 `VALIDATION_ERROR`, the closest documented code (the documented errors list no conflict code: docs/upstreams/geotareas.md#errors).
    func cancel(id: String, reason: String, by actor: String, at now: Date) throws -> GeotareasInstance {
        try state.withLock { state throws(GeotareasError) in
            guard let index = state.instances.firstIndex(where: { $0.id == id }) else { throw .notFound("Workflow instance not found.") }
            guard state.instances[index].status == .running else {
                throw .validation("Only RUNNING instances can be cancelled; this one is \(state.instances[index].status.rawValue).")
            }
            state.instances[index].cancel(reason: reason, by: actor, at: now)
            return state.instances[index]
        }
    }

    private static func newestFirst(_ lhs: GeotareasInstance, _ rhs: GeotareasInstance) -> Bool {
        (lhs.startedAt, lhs.id) > (rhs.startedAt, rhs.id)
    }

    private static func page<Item>(_ items: [Item], limit: Int, offset: Int) -> [Item] {
        Array(items.dropFirst(offset).prefix(limit))
    }
}
