import Foundation

/// Entity types a workflow attaches to: Spanish, UPPER case.
enum GeotareasEntityType: String, CaseIterable, Sendable {
    case tarea = "TAREA", cuenta = "CUENTA", cliente = "CLIENTE", personal = "PERSONAL", dispositivo = "DISPOSITIVO"
    case ninguna = "NINGUNA"
}

/// Instance statuses.
enum GeotareasInstanceStatus: String, CaseIterable, Sendable {
    case running = "RUNNING", completed = "COMPLETED", cancelled = "CANCELLED", error = "ERROR"
}

/// Human task statuses.
enum GeotareasTaskStatus: String, CaseIterable, Sendable {
    case pending = "PENDING", inProgress = "IN_PROGRESS", completed = "COMPLETED"
}

/// A user or a group a task is assigned to.
struct GeotareasAssignee: Sendable {
    enum Kind: Sendable { case user, group }
    var kind: Kind
    var id: String
    /// As `assigned_to` shows it: the user's login or the group's name.
    var name: String
    /// As the task list's `{id, name}` shows it: the user's full name or the group's name.
    var displayName: String
    /// Who completes tasks: the user, or the group member who picks them up.
    var worker: String
}

/// One form field a step captures.
struct GeotareasField: Sendable {
    var name: String
    /// `text | number | date | boolean | select | file`.
    var type: String
    /// The captured value: a string, whole number or flag; `file` values are the stored file name
    /// ([GAP] the real format is undocumented).
    var value: EmulatorJSON
}

/// One step of a definition: who does it, what it captures, how it usually ends.
struct GeotareasStep: Sendable {
    var nodeID: String
    var name: String
    var assignee: GeotareasAssignee
    var resultCode: String
    var resultLabel: String
    var fields: [GeotareasField]
    /// Days until the task is due; nil for tasks without a due date.
    var dueDays: Int?
}

/// A workflow definition.
struct GeotareasDefinition: Sendable {
    var id: String
    var name: String
    var description: String?
    var isActive: Bool
    var entityType: GeotareasEntityType
    var version: Int
    var steps: [GeotareasStep]
    var triggers: [String]
    var createdAt: Date
    var updatedAt: Date
}

/// What an instance is about.
struct GeotareasEntity: Sendable {
    var type: GeotareasEntityType
    var id: String?
    var label: String?
}

/// A human task an instance created.
struct GeotareasTask: Sendable {
    var id: String
    var stepName: String
    var status: GeotareasTaskStatus
    var assignee: GeotareasAssignee
    var result: String?
    var createdAt: Date
    var completedAt: Date?
    var dueDate: Date?
    var escalated: Bool
}

/// One timeline entry.
struct GeotareasEvent: Sendable {
    /// `started, step_started, step_completed, reassigned, cancelled, completed, error`.
    var event: String
    var at: Date
    var actor: String
    var details: [String: String]?
}

/// The form data one completed step captured.
struct GeotareasCapture: Sendable {
    var stepName: String
    var completedBy: String
    var completedAt: Date
    var resultCode: String
    var resultLabel: String
    var fields: [GeotareasField]
}

/// A workflow instance with everything its detail, timeline and captured-data views show.
struct GeotareasInstance: Sendable {
    var id: String
    var definitionID: String
    var definitionName: String
    var status: GeotareasInstanceStatus
    var entity: GeotareasEntity
    var currentStep: (nodeID: String, name: String)?
    /// `manual | event | schedule`.
    var triggerType: String
    var startedAt: Date
    var endedAt: Date?
    var cancelledAt: Date?
    var cancelledBy: String?
    var cancelReason: String?
    var tasks: [GeotareasTask]
    var timeline: [GeotareasEvent]
    var captured: [GeotareasCapture]

    /// [INF] "Pending" counts every task not yet completed (PENDING and IN_PROGRESS).
    var pendingTasksCount: Int { tasks.count(where: { $0.status != .completed }) }

    /// Cancels the instance: CANCELLED, and every open task is closed. [INF] A closed
    /// task becomes COMPLETED without a result, as the task enum has no cancelled state; `ended_at` is set too.
    mutating func cancel(reason: String, by actor: String, at date: Date) {
        status = .cancelled
        cancelledAt = date
        endedAt = date
        cancelledBy = actor
        cancelReason = reason
        currentStep = nil
        for index in tasks.indices where tasks[index].status != .completed {
            tasks[index].status = .completed
            tasks[index].completedAt = date
            tasks[index].escalated = false
        }
        timeline.append(GeotareasEvent(event: "cancelled", at: date, actor: actor, details: ["reason": reason]))
    }
}
