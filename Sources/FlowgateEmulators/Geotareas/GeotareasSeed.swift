import Foundation

/// The deterministic starting state: seven definitions (one inactive) and 36 instances across all four
/// statuses between February and mid-March 2026, ending with the instance its instance documentation shows
/// (`591847302948571634`, New Account Onboarding for Acme Corp), so the next start gets `…635` as there.
enum GeotareasSeed {
    /// What a store starts from.
    struct Snapshot: Sendable {
        var definitions: [GeotareasDefinition]
        var instances: [GeotareasInstance]
        var nextInstanceID: UInt64
        var builder: GeotareasRunBuilder
    }

    static let lastSeededInstanceID: UInt64 = 591_847_302_948_571_634
    static let instanceCount = 36
    /// Open tasks due before this are escalated in the seed.
    static let asOf = GeotareasTime.local(2026, 3, 16, 9, 0)

    private static let starters = ["jdoe", "mgarcia", "asosa", "pruiz"]
    private static let cancelReasons = [
        "Duplicate request.", "Customer withdrew the complaint.", "Device replaced under warranty instead.", "Submitted by mistake.",
        "Visit rescheduled under a new work order.",
    ]
    private static let errorMessages = [
        "Notification service unavailable (SMTP 421).", "Linked entity no longer exists.", "Timeout calling the ERP connector.",
    ]

    static func make() -> Snapshot {
        // Seed 2 gives a good spread: 16 RUNNING, 10 COMPLETED, 6 CANCELLED, 4 ERROR.
        var random = EmulatorRandom(seed: 2)
        var builder = GeotareasRunBuilder(nextTaskID: 674_839_201_748_391_001)
        let active = definitions.filter(\.isActive)
        var instances: [GeotareasInstance] = []
        let firstID = lastSeededInstanceID - UInt64(instanceCount - 1)
        for index in 0..<(instanceCount - 1) {
            let definition = active[random.next(below: active.count)]
            let entity = entity(for: definition.entityType, pick: random.next(below: 4))
            let trigger = definition.triggers[random.next(below: definition.triggers.count)]
            let starter = trigger == "manual" ? starters[random.next(below: starters.count)] : "system"
            let start = GeotareasTime.local(2026, 2, 2, 8).addingTimeInterval(TimeInterval(index * 28 * 3600 + random.next(below: 180) * 60))
            let roll = random.next(below: 100)
            let steps = definition.steps.count
            let ending: GeotareasRunBuilder.Ending
            let completedSteps: Int
            switch roll {
            case 0..<36:
                ending = .running(pickedUp: random.next(below: 2) == 0)
                completedSteps = random.next(below: steps)
            case 36..<66:
                ending = .completed
                completedSteps = steps
            case 66..<86:
                let reason = cancelReasons[random.next(below: cancelReasons.count)]
                ending = .cancelled(by: random.next(below: 2) == 0 ? "mgarcia" : "jdoe", reason: reason, afterMinutes: 30 + random.next(below: 600))
                completedSteps = random.next(below: steps)
            default:
                ending = .error(errorMessages[random.next(below: errorMessages.count)])
                completedSteps = random.next(below: steps)
            }
            let minutes = (0..<completedSteps).map { _ in 20 + random.next(below: 1_500) }
            instances.append(
                builder.build(
                    id: String(firstID + UInt64(index)), definition: definition, entity: entity, trigger: trigger, starter: starter,
                    start: start, stepMinutes: minutes, ending: ending, asOf: asOf
                )
            )
        }
        // The documented detail example (docs/upstreams/geotareas.md#instance-detail): started 10:00, contact verified by jdoe at 11:30, welcome email with Sales Team.
        instances.append(
            builder.build(
                id: String(lastSeededInstanceID), definition: definitions[0],
                entity: GeotareasEntity(type: .cuenta, id: "738291047382910473", label: "Acme Corp"), trigger: "manual", starter: "jdoe",
                start: GeotareasTime.local(2026, 3, 15, 10), stepMinutes: [90], ending: .running(pickedUp: true), asOf: asOf
            )
        )
        return Snapshot(definitions: definitions, instances: instances, nextInstanceID: lastSeededInstanceID + 1, builder: builder)
    }

    private static func entity(for type: GeotareasEntityType, pick: Int) -> GeotareasEntity {
        guard let choices = entities[type], !choices.isEmpty else { return GeotareasEntity(type: type, id: nil, label: nil) }
        let choice = choices[pick % choices.count]
        return GeotareasEntity(type: type, id: choice.id, label: choice.label)
    }

    /// The label of a known entity, for instances started through the API.
    static func label(of entityID: String?, type: GeotareasEntityType) -> String? {
        guard let entityID else { return nil }
        return entities[type]?.first { $0.id == entityID }?.label
    }
}
