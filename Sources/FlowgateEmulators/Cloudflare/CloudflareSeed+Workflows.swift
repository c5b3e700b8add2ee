import Foundation

/// The five seeded workflows of a small online shop.
extension CloudflareSeed {
    static func workflows(random: inout EmulatorRandom) -> [CloudflareWorkflow] {
        func workflow(
            _ name: String, _ className: String, _ script: String, created: Date, cron: String? = nil, output: EmulatorJSON,
            _ plan: [CloudflareStepPlan]
        ) -> CloudflareWorkflow {
            CloudflareWorkflow(
                id: random.uuid(), name: name, className: className, scriptName: script, versionID: random.uuid(), createdOn: created,
                modifiedOn: created.addingTimeInterval(6 * 86_400 + 3_723.456), cron: cron, plan: plan, output: output
            )
        }
        return [
            workflow(
                "order-fulfillment", "OrderFulfillmentWorkflow", "shop-backend", created: CloudflareTime.utc(2026, 1, 12, 9, 14, 3),
                output: .string("fulfilled"),
                [
                    .step("validate order", output: .object(["valid": .bool(true)])),
                    .step("charge payment", output: .object(["chargeId": .string("ch_3PZx81"), "status": .string("succeeded")])),
                    .step("reserve inventory", output: .object(["reserved": .integer(3)])),
                    .waitForEvent("wait for warehouse pick", eventType: "warehouse-picked"),
                    .step("send confirmation email", output: .string("queued")),
                ]
            ),
            workflow(
                "user-onboarding", "UserOnboardingWorkflow", "accounts-worker", created: CloudflareTime.utc(2025, 11, 3, 16, 40, 11),
                output: .integer(100),
                [
                    .step("create account record", output: .object(["created": .bool(true)])),
                    .step("send welcome email", output: .string("sent")),
                    .sleep("wait 1 day", seconds: 86_400),
                    .step("send tips email", output: .string("sent")),
                    .waitForEvent("wait for profile completion", eventType: "profile-completed"),
                    .step("grant starter credits", output: .integer(100)),
                ]
            ),
            workflow(
                "invoice-reminders", "InvoiceReminderWorkflow", "billing-worker", created: CloudflareTime.utc(2025, 12, 1, 8, 0, 27),
                output: .string("paid"),
                [
                    .step("load invoice", output: .object(["status": .string("open")])),
                    .step("send first reminder", output: .string("sent")),
                    .sleep("wait 3 days", seconds: 259_200),
                    .step("check payment status", output: .string("unpaid")),
                    .step("send final notice", output: .string("sent")),
                ]
            ),
            workflow(
                "image-processing", "ImagePipelineWorkflow", "media-worker", created: CloudflareTime.utc(2026, 2, 2, 11, 22, 45),
                output: .integer(3),
                [
                    .step("download original", output: .object(["bytes": .integer(4_812_330)])),
                    .step("generate thumbnails", output: .array([.integer(320), .integer(640), .integer(1280)])),
                    .step("upload to R2", output: .string("ok")),
                    .step("update catalog", output: .bool(true)),
                ]
            ),
            workflow(
                "nightly-report", "NightlyReportWorkflow", "reports-worker", created: CloudflareTime.utc(2025, 10, 20, 13, 5, 9), cron: "0 2 * * *",
                output: .string("sent to 4 recipients"),
                [
                    .step("collect metrics", output: .object(["orders": .integer(412), "revenue": .number(18_940.5)])),
                    .step("render report", output: .string("reports/2026-03/daily.pdf")),
                    .step("email report", output: .integer(4)),
                ]
            ),
        ]
    }

    /// Where each workflow's seeded instances stand, oldest first.
    static let specs: [String: [CloudflareRunBuilder.Spec]] = [
        "order-fulfillment": [
            .init(status: .complete, progress: 5), .init(status: .complete, progress: 5), .init(status: .errored, progress: 1),
            .init(status: .complete, progress: 5), .init(status: .terminated, progress: 3), .init(status: .complete, progress: 5),
            .init(status: .waiting, progress: 3), .init(status: .paused, progress: 2), .init(status: .running, progress: 2),
            .init(status: .waitingForPause, progress: 1), .init(status: .waiting, progress: 3), .init(status: .queued, progress: 0),
        ],
        "user-onboarding": [
            .init(status: .complete, progress: 6), .init(status: .complete, progress: 6), .init(status: .waiting, progress: 2),
            .init(status: .complete, progress: 6), .init(status: .errored, progress: 3), .init(status: .waiting, progress: 4),
            .init(status: .running, progress: 1), .init(status: .terminated, progress: 2), .init(status: .complete, progress: 6),
            .init(status: .queued, progress: 0),
        ],
        "invoice-reminders": [
            .init(status: .complete, progress: 5), .init(status: .complete, progress: 5), .init(status: .terminated, progress: 3),
            .init(status: .complete, progress: 5), .init(status: .waiting, progress: 2), .init(status: .errored, progress: 3),
            .init(status: .running, progress: 4), .init(status: .complete, progress: 5),
        ],
        "image-processing": [
            .init(status: .complete, progress: 4), .init(status: .complete, progress: 4), .init(status: .complete, progress: 4),
            .init(status: .errored, progress: 2), .init(status: .complete, progress: 4), .init(status: .unknown, progress: 1),
            .init(status: .complete, progress: 4), .init(status: .running, progress: 3), .init(status: .queued, progress: 0),
        ],
        "nightly-report": [
            .init(status: .complete, progress: 3), .init(status: .complete, progress: 3), .init(status: .complete, progress: 3),
            .init(status: .complete, progress: 3), .init(status: .errored, progress: 1), .init(status: .complete, progress: 3),
            .init(status: .running, progress: 2),
        ],
    ]
}
