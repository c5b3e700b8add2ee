import Foundation

/// The deterministic starting state: five workflows and 46 instances across every status, created
/// between 10 and 19 March 2026, with the id style of each trigger: user-chosen ids for API starts,
/// UUIDs for binding and event starts, `cf_` + 64 hex for cron starts.
enum CloudflareSeed {
    /// What a store starts from.
    struct Snapshot: Sendable {
        var workflows: [CloudflareWorkflow]
        var instances: [CloudflareInstance]
        var random: EmulatorRandom
    }

    static func make() -> Snapshot {
        var random = EmulatorRandom(seed: 0xC10D_F1A2E)
        let workflows = workflows(random: &random)
        var instances: [CloudflareInstance] = []
        for workflow in workflows {
            for (index, spec) in (specs[workflow.name] ?? []).enumerated() {
                let (id, trigger, params, queued) = identity(of: workflow, index: index, random: &random)
                var instance = CloudflareRunBuilder.build(
                    id: id, workflow: workflow, params: params, trigger: trigger, queued: queued, spec: spec, sequence: 0, random: &random
                )
                if let cron = workflow.cron { instance.schedule = (cron, (queued.timeIntervalSince1970 * 1000).rounded()) }
                instances.append(instance)
            }
        }
        // Sequence follows creation time across workflows, as the real insertion order would.
        instances.sort { $0.queued < $1.queued }
        for index in instances.indices { instances[index].sequence = index + 1 }
        return Snapshot(workflows: workflows, instances: instances, random: random)
    }

    private static func identity(
        of workflow: CloudflareWorkflow, index: Int, random: inout EmulatorRandom
    )
        -> (id: String, trigger: String, params: EmulatorJSON, queued: Date)
    {
        let base = CloudflareTime.utc(2026, 3, 10, 8).addingTimeInterval(TimeInterval(index * 19 * 3_600 + random.next(below: 3_000)))
        let queued = base.addingTimeInterval(Double(random.next(below: 1_000)) / 1000)
        switch workflow.name {
        case "order-fulfillment":
            let order = 10_220 + index
            let params: EmulatorJSON = .object([
                "orderId": .string(String(order)), "customerId": .string("cus_\(String(random.next(), radix: 36).prefix(6))"),
                "total": .number(Double(2_000 + random.next(below: 30_000)) / 100), "currency": .string("USD"),
            ])
            return ("order-\(order)", "api", params, queued)
        case "invoice-reminders":
            let invoice = "INV-2026-\(String(412 + index * 7))"
            let params: EmulatorJSON = .object(["invoiceId": .string(invoice), "amountDue": .integer(1_000 + random.next(below: 9_000))])
            return (invoice.lowercased(), "api", params, queued)
        case "user-onboarding":
            let params: EmulatorJSON = .object(["userId": .string("usr_\(String(random.next(), radix: 36).prefix(8))"), "plan": .string("free")])
            return (random.uuid(), "binding", params, queued)
        case "nightly-report":
            let night = CloudflareTime.utc(2026, 3, 13, 2).addingTimeInterval(TimeInterval(index * 86_400) + 0.031)
            return ("cf_" + random.hex(count: 64), "cron", .object([:]), night)
        default:
            let params: EmulatorJSON = .object([
                "objectKey": .string("uploads/2026/03/IMG_\(4_800 + index * 3).jpg"),
                "sizes": .array([.integer(320), .integer(640), .integer(1280)]),
            ])
            return (random.uuid(), "event", params, queued)
        }
    }
}
