import Foundation
import Synchronization

/// The body of `PATCH …/instances/{id}/status`.
enum CloudflareStatusChange: Sendable {
    case pause
    case resume
    /// [INF] `rollback` is accepted; the emulator runs no rollback steps.
    case terminate
    /// Restart from the beginning, or from the first step with this name.
    case restart(from: String?)
}

extension CloudflareStore {
    /// Applies a status change and answers the new status. Refused transitions are 10401:
    /// - pause from `queued`, `running`, `waiting` → `paused` [INF: at once; no engine finishes a step first];
    /// - resume from `paused`, `waitingForPause` → `running`, or `waiting` if it was sleeping or waiting for
    ///   an event (a terminated instance "cannot be resumed"; resuming a running one "throws");
    /// - terminate from anything not finished → `terminated` (a finished one gives `cannot_terminate`);
    /// - restart from anything but `queued` → `queued` with its steps erased, "as if it was run for the first time".
    func change(_ id: String, of workflowName: String, to change: CloudflareStatusChange, at now: Date) throws -> CloudflareInstance {
        try state.withLock { state throws(CloudflareError) in
            guard state.workflows.contains(where: { $0.name == workflowName }) else { throw .workflowNotFound }
            guard let index = state.instances.firstIndex(where: { $0.workflowName == workflowName && $0.id == id }) else {
                throw .instanceNotFound
            }
            var instance = state.instances[index]
            switch change {
            case .pause:
                guard [.queued, .running, .waiting].contains(instance.status) else { throw .cannotChange("pause") }
                instance.status = .paused
            case .resume:
                guard [.paused, .waitingForPause].contains(instance.status) else { throw .cannotChange("resume") }
                instance.status = instance.isWaiting ? .waiting : .running
            case .terminate:
                guard !instance.status.isFinished else { throw .cannotChange("terminate") }
                instance.status = .terminated
                instance.end = now
                instance.steps.append(.termination(source: "api"))
            case .restart(let from):
                guard instance.status != .queued else { throw .cannotChange("restart") }
                if let from {
                    guard let stepIndex = instance.steps.firstIndex(where: { $0.name == from }) else {
                        throw .body("from.name does not name a step of this instance")
                    }
                    instance.steps.removeSubrange(stepIndex...)
                } else {
                    instance.steps.removeAll()
                    instance.start = nil
                }
                instance.status = .queued
                instance.end = nil
                instance.error = nil
                instance.output = nil
            }
            instance.modifiedOn = now
            state.instances[index] = instance
            return instance
        }
    }

    /// Delivers an event: an instance waiting for this type takes it at once (the wait finishes with the
    /// payload as output and a waiting instance runs on); otherwise it is kept for a later wait [INF], and
    /// dropped once the instance has finished.
    func send(event type: String, payload: EmulatorJSON, to id: String, of workflowName: String, at now: Date) throws {
        try state.withLock { state throws(CloudflareError) in
            guard state.workflows.contains(where: { $0.name == workflowName }) else { throw .workflowNotFound }
            guard let index = state.instances.firstIndex(where: { $0.workflowName == workflowName && $0.id == id }) else {
                throw .instanceNotFound
            }
            var instance = state.instances[index]
            if case .waitForEvent(let name, let start, _, false, type, _)? = instance.steps.last {
                instance.steps[instance.steps.count - 1] = .waitForEvent(
                    name: name, start: start, end: now, finished: true, eventType: type, output: payload
                )
                if instance.status == .waiting { instance.status = .running }
                instance.modifiedOn = now
            } else if !instance.status.isFinished {
                instance.bufferedEvents.append((type, payload))
            }
            state.instances[index] = instance
        }
    }
}
