import Foundation

/// Builds instances by walking a definition's steps, so seeded and started instances have tasks,
/// timelines and captured data that agree with each other.
struct GeotareasRunBuilder: Sendable {
    /// How the walk ends after the completed steps.
    enum Ending: Sendable {
        /// Waiting on the next step's task, picked up (`IN_PROGRESS`) or not (`PENDING`).
        case running(pickedUp: Bool)
        case completed
        case cancelled(by: String, reason: String, afterMinutes: Int)
        /// [INF] The next step fails as it starts: no task, `current_step` stays on it, `ended_at` is set.
        case error(String)
    }

    /// Task ids are 18-digit BigInts handed out in order.
    var nextTaskID: UInt64

    /// - Parameters:
    ///   - stepMinutes: how long each completed step took; its count is the number of completed steps.
    ///   - asOf: open tasks due before this are `escalated`.
    mutating func build(
        id: String, definition: GeotareasDefinition, entity: GeotareasEntity, trigger: String, starter: String,
        start: Date, stepMinutes: [Int], ending: Ending, asOf: Date
    ) -> GeotareasInstance {
        var instance = GeotareasInstance(
            id: id, definitionID: definition.id, definitionName: definition.name, status: .running, entity: entity,
            currentStep: nil, triggerType: trigger, startedAt: start, tasks: [], timeline: [], captured: []
        )
        instance.timeline.append(GeotareasEvent(event: "started", at: start, actor: starter, details: nil))
        var clock = start
        let completed = min(stepMinutes.count, definition.steps.count)
        for (step, minutes) in zip(definition.steps.prefix(completed), stepMinutes) {
            let opened = clock.addingTimeInterval(1)
            let done = clock.addingTimeInterval(TimeInterval(minutes * 60))
            open(step, at: opened, in: &instance)
            instance.tasks[instance.tasks.count - 1].status = .completed
            instance.tasks[instance.tasks.count - 1].result = step.resultCode
            instance.tasks[instance.tasks.count - 1].completedAt = done
            instance.timeline.append(
                GeotareasEvent(
                    event: "step_completed", at: done, actor: step.assignee.worker,
                    details: ["step_name": step.name, "result_code": step.resultCode]
                )
            )
            instance.captured.append(
                GeotareasCapture(
                    stepName: step.name, completedBy: step.assignee.worker, completedAt: done, resultCode: step.resultCode,
                    resultLabel: step.resultLabel, fields: step.fields.map { Self.captured($0, on: done) }
                )
            )
            clock = done
        }
        let next = completed < definition.steps.count ? definition.steps[completed] : nil
        let opened = clock.addingTimeInterval(1)
        switch (ending, next) {
        case (.running(let pickedUp), let next?):
            open(next, at: opened, in: &instance)
            if pickedUp { instance.tasks[instance.tasks.count - 1].status = .inProgress }
            instance.currentStep = (next.nodeID, next.name)
        case (.cancelled(let actor, let reason, let afterMinutes), let next?):
            open(next, at: opened, in: &instance)
            instance.cancel(reason: reason, by: actor, at: opened.addingTimeInterval(TimeInterval(afterMinutes * 60)))
        case (.error(let message), let next?):
            instance.status = .error
            instance.currentStep = (next.nodeID, next.name)
            instance.endedAt = opened
            instance.timeline.append(
                GeotareasEvent(event: "error", at: opened, actor: "system", details: ["step_name": next.name, "message": message])
            )
        default:
            // Every step done: whatever was asked for, the instance has completed.
            instance.status = .completed
            instance.endedAt = opened
            instance.timeline.append(GeotareasEvent(event: "completed", at: opened, actor: "system", details: nil))
        }
        for index in instance.tasks.indices where instance.tasks[index].status != .completed {
            instance.tasks[index].escalated = (instance.tasks[index].dueDate ?? .distantFuture) < asOf
        }
        return instance
    }

    /// Starts a step: its `step_started` event and its task.
    private mutating func open(_ step: GeotareasStep, at date: Date, in instance: inout GeotareasInstance) {
        instance.timeline.append(
            GeotareasEvent(
                event: "step_started", at: date, actor: "system", details: ["step_name": step.name, "assigned_to": step.assignee.name]
            )
        )
        instance.tasks.append(
            GeotareasTask(
                id: String(nextTaskID), stepName: step.name, status: .pending, assignee: step.assignee, result: nil, createdAt: date,
                completedAt: nil, dueDate: step.dueDays.map { date.addingTimeInterval(TimeInterval($0 * 86_400)) }, escalated: false
            )
        )
        nextTaskID += 1
    }

    /// Date fields capture the day the step was completed.
    private static func captured(_ field: GeotareasField, on date: Date) -> GeotareasField {
        guard field.type == "date" else { return field }
        return GeotareasField(name: field.name, type: field.type, value: .string(GeotareasTime.formatDay(date)))
    }
}
