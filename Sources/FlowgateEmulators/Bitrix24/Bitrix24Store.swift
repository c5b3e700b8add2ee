import Foundation
import Synchronization

/// The portal's workflow state behind one lock: templates, CRM records, instances.
final class Bitrix24Store: Sendable {
    /// Native `bizproc.workflow.instances` pages are fixed at 50 rows; [INF] the facade keeps that.
    static let pageSize = 50

    /// Everything the lock guards.
    private struct State {
        var templates: [Bitrix24Template]
        var documents: [Bitrix24EntityType: ClosedRange<Int>]
        var instances: [String: Bitrix24Instance]
        var ids: Bitrix24IDGenerator
    }

    private let state: Mutex<State>

    init(seededAt now: Date) {
        let seed = Bitrix24Seed(now: now)
        let instances = Dictionary(seed.instances.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        state = Mutex(State(templates: seed.templates, documents: seed.documents, instances: instances, ids: seed.ids))
    }

    /// One page of running instances, newest `MODIFIED` first, and how many matched in all.
    func running(templateID: Int?, startedBy: String?, offset: Int, now: Date) -> (page: [Bitrix24Instance], total: Int) {
        let matching = state.withLock { state in
            state.instances.values.filter { instance in
                instance.isRunning(at: now) && (templateID.map { $0 == instance.templateID } ?? true)
                    && (startedBy.map { $0 == instance.startedBy } ?? true)
            }
        }
        let sorted = matching.sorted { ($0.modified, $0.id) > ($1.modified, $1.id) }
        let page = sorted.dropFirst(offset).prefix(Self.pageSize)
        return (Array(page), sorted.count)
    }

    var templates: [Bitrix24Template] { state.withLock { $0.templates } }

    /// Starts `templateID` on a CRM record, checking what the facade and then Bitrix would check.
    func start(
        templateID: Int, entityType: Bitrix24EntityType, entityID: Int, parameters: [String: EmulatorJSON], startedBy: String, now: Date
    ) throws(Bitrix24Error) -> String {
        try state.withLock { state throws(Bitrix24Error) in
            guard state.documents[entityType]?.contains(entityID) == true else {
                throw .entityNotFound("\(entityType.rawValue.capitalized) with ID \(entityID) not found")
            }
            guard let template = state.templates.first(where: { $0.id == templateID }) else {
                throw .bitrix("ERROR_WRONG_WORKFLOW_ID: Template not found")
            }
            guard template.moduleID == "crm", template.documentType == entityType.documentType else {
                throw .bitrix("Template type and DOCUMENT_ID mismatch!")
            }
            let id = state.ids.next(at: now)
            state.instances[id] = Bitrix24Instance(
                id: id, templateID: templateID, moduleID: "crm", entity: entityType.documentClass,
                documentID: "\(entityType.documentType)_\(entityID)", startedBy: startedBy, started: now, modified: now,
                ownedUntil: nil, parameters: parameters, state: .running
            )
            return id
        }
    }

    /// Terminates a running instance; false when there is none with that id (unknown or already over).
    ///
    /// [INF] the soft default maps to native `bizproc.workflow.terminate`, which
    /// waits for the step holding the lock and keeps the data, so a locked instance stays listed until its
    /// `OWNED_UNTIL` passes. `force=true` maps to `bizproc.workflow.kill`, which ends it at once and deletes
    /// all its data.
    func terminate(id: String, force: Bool, reason: String?, now: Date) -> Bool {
        state.withLock { state in
            guard var instance = state.instances[id], instance.isRunning(at: now) else { return false }
            if force {
                state.instances[id] = nil
                return true
            }
            let stepHoldsLock = (instance.ownedUntil ?? .distantPast) > now
            instance.state = stepHoldsLock ? .terminating(reason: reason) : .finished(reason: reason)
            instance.modified = now
            state.instances[id] = instance
            return true
        }
    }
}
