import Foundation

/// The demo deployment: six definitions (two with start forms, one suspended) and 30 instances across
/// every status, ids `50100`, `50110`, … `50390` with first task id + 5, placed relative to the clock at
/// start-up. Files: `50100` holds a receipt PDF and a CSV (whose name has spaces), `50150` a large
/// generated survey file.
struct WorkingflowSeed {
    var definitions: [WorkingflowDefinition]
    var instances: [WorkingflowInstance]

    static let instanceCount = 30
    static let firstStartedID = 52_407

    init(now: Date, largeFileSize: Int) {
        definitions = Self.definitions
        instances = []
        let assignees: [String?] = [nil, "m.keller", "a.novak", "j.smith", nil, "finance.team"]
        for index in 0..<Self.instanceCount {
            let definition = definitions[index % definitions.count]
            let id = 50_100 + index * 10
            let started = now - Double(Self.instanceCount - index) * 3 * 3600 - Double((index * 7_919) % 3_600) - Double(index % 1000) / 1000
            var instance = WorkingflowInstance(
                id: String(id), definitionKey: definition.key, definitionName: definition.name, started: started, ended: nil,
                status: .active, activeTasks: [], variables: Self.variables(for: definition.key, index: index), files: []
            )
            if definition.suspended {
                instance.status = .suspended
            } else if index % 7 == 6 {
                instance.status = .completed
            } else if index == 11 || index == 23 {
                instance.status = .terminated
            }
            if instance.status == .active || instance.status == .suspended {
                let step = index % definition.taskNames.count
                let task = WorkingflowInstance.Task(
                    id: String(id + 5 + step), name: definition.taskNames[step], assignee: assignees[index % assignees.count],
                    created: started + Double(step) * 1_800
                )
                instance.activeTasks = [task]
            } else {
                instance.ended = started + 2 * 3600 + Double(index * 61)
            }
            instances.append(instance)
        }
        instances[0].files = [
            WorkingflowFile(storedName: "a3f8b2c1_receipt.pdf", content: .bytes(Self.receipt), uploaded: instances[0].started),
            WorkingflowFile(
                storedName: "7c1d9e04_Q2 travel summary.csv", content: .bytes(Self.travelSummary),
                uploaded: instances[0].started + 90
            ),
        ]
        instances[5].files = [
            WorkingflowFile(
                storedName: "e5b7a9d2_drone-survey.bin", content: .generated(size: largeFileSize),
                uploaded: instances[5].started + 600
            )
        ]
    }

    private static let definitions: [WorkingflowDefinition] = [
        .init(
            key: "expense_reimbursement_demo", name: "Expense Reimbursement Demo", version: 1,
            description: "Demonstrates gateway loops (revise/resubmit) and SLA task escalation.", hasStartForm: false, suspended: false,
            taskNames: ["Submit Expense Report", "Manager Review", "Finance Approval"]
        ),
        .init(
            key: "leave_request_demo", name: "Leave Request Demo", version: 1,
            description: "Employee leave request with manager approval, revision loop, HR acknowledgment, and SLA escalation.",
            hasStartForm: true, suspended: false, taskNames: ["Manager Approval", "HR Acknowledgment"]
        ),
        .init(
            key: "purchase_order_approval", name: "Purchase Order Approval", version: 3,
            description: "Three-tier purchase approval with a budget check and procurement hand-off.", hasStartForm: false, suspended: false,
            taskNames: ["Budget Check", "Department Head Approval", "Procurement"]
        ),
        .init(
            key: "vendor_onboarding", name: "Vendor Onboarding", version: 2,
            description: "Collects vendor documents, runs a compliance review and creates the supplier record.", hasStartForm: true,
            suspended: false, taskNames: ["Compliance Review", "Create Supplier Record"]
        ),
        .init(
            key: "invoice_dispute_resolution", name: "Invoice Dispute Resolution", version: 1,
            description: "Routes a disputed invoice to accounts receivable and waits for the customer. Suspended pending a redesign.",
            hasStartForm: false, suspended: true, taskNames: ["Investigate Dispute", "Customer Response"]
        ),
        .init(
            key: "field_inspection_report", name: "Field Inspection Report", version: 4,
            description: "Uploads drone survey data and inspection photos for engineering sign-off.", hasStartForm: false, suspended: false,
            taskNames: ["Upload Survey Data", "Engineering Sign-off"]
        ),
    ]

    private static func variables(for key: String, index: Int) -> [String: EmulatorJSON] {
        let departments = ["Engineering", "Sales", "Operations", "Finance", "Marketing"]
        let department = EmulatorJSON.string(departments[index % departments.count])
        let initiator: EmulatorJSON = index % 4 == 0 ? .string("api:ERP Integration") : .string(["m.keller", "a.novak", "j.smith"][index % 3])
        switch key {
        case "expense_reimbursement_demo":
            return [
                "department": department, "amount": .number(Double(120 + index * 37) + 0.5), "currency": .string("EUR"),
                "notes": .string("Q2 travel expenses"), "initiator": initiator,
            ]
        case "leave_request_demo":
            return [
                "employee": .string("e.\(1000 + index)"), "days": .integer(1 + index % 9), "paid": .bool(index % 3 != 0),
                "initiator": initiator,
            ]
        case "purchase_order_approval":
            return [
                "vendor": .string("Acme Industrial GmbH"), "amount": .integer(4_500 + index * 250), "costCenter": .string("CC-\(400 + index)"),
                "lines": .array([
                    .object(["sku": .string("HX-220"), "qty": .integer(4)]), .object(["sku": .string("HX-310"), "qty": .integer(1)]),
                ]),
                "initiator": initiator,
            ]
        case "vendor_onboarding":
            return ["vendorName": .string("Nordwind Logistics"), "country": .string("DE"), "taxId": .null, "initiator": initiator]
        case "invoice_dispute_resolution":
            return ["invoiceNumber": .string("INV-2026-\(3000 + index)"), "disputedAmount": .number(980.25), "initiator": initiator]
        default:
            return ["site": .string("Substation \(["North", "East", "Harbor"][index % 3])"), "inspector": .string("a.novak"), "initiator": initiator]
        }
    }

    /// A small file that looks like the PDF it claims to be.
    private static let receipt = Array(
        """
        %PDF-1.4
        1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
        2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
        3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >> endobj
        4 0 obj << /Length 58 >> stream
        BT /F1 12 Tf 72 770 Td (Receipt 2026-0412  EUR 184.50) Tj ET
        endstream endobj
        trailer << /Root 1 0 R >>
        %%EOF

        """.utf8
    )

    private static let travelSummary = Array(
        """
        date,category,description,amount,currency
        2026-04-02,travel,Train Munich-Berlin,129.90,EUR
        2026-04-02,lodging,Hotel Mitte (2 nights),312.00,EUR
        2026-04-04,meals,Client dinner,184.50,EUR

        """.utf8
    )
}
