import Foundation
import Synchronization

/// The deployment's definitions and instances behind one lock.
final class WorkingflowStore: Sendable {
    /// Everything the lock guards.
    private struct State {
        var definitions: [WorkingflowDefinition]
        var instances: [String: WorkingflowInstance]
        /// Engine ids are sequential numeric strings; each start uses a block of them (instance, tasks, variables).
        var nextID: Int
    }

    private let state: Mutex<State>

    init(seededAt now: Date, largeFileSize: Int) {
        let seed = WorkingflowSeed(now: now, largeFileSize: largeFileSize)
        let instances = Dictionary(seed.instances.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        state = Mutex(State(definitions: seed.definitions, instances: instances, nextID: WorkingflowSeed.firstStartedID))
    }

    var definitions: [WorkingflowDefinition] { state.withLock { $0.definitions } }

    func instance(_ id: String) -> WorkingflowInstance? { state.withLock { $0.instances[id] } }

    /// Starts the latest version of `key`, checking what the documented errors say, in that order:
    /// unknown key, start form, suspended definition.
    func start(key: String, variables: [String: EmulatorJSON], initiator: String, now: Date) throws(WorkingflowError) -> String {
        try state.withLock { state throws(WorkingflowError) in
            guard let definition = state.definitions.first(where: { $0.key == key }) else { throw .processNotFound(key) }
            guard !definition.hasStartForm else { throw .startForm(key) }
            guard !definition.suspended else { throw .suspended(key) }
            let id = state.nextID
            state.nextID += 10
            var variables = variables
            // [INF] the engine sets the initiator itself, so a caller's own "initiator" does not win.
            variables["initiator"] = .string(initiator)
            let firstTask = definition.taskNames.first.map { WorkingflowInstance.Task(id: String(id + 5), name: $0, assignee: nil, created: now) }
            state.instances[String(id)] = WorkingflowInstance(
                id: String(id), definitionKey: definition.key, definitionName: definition.name, started: now, ended: nil, status: .active,
                activeTasks: firstTask.map { [$0] } ?? [], variables: variables, files: []
            )
            return String(id)
        }
    }
}
