import Foundation

/// The seeded workflow definitions, users, groups and entities: a field-service company in Argentina.
extension GeotareasSeed {
    static func user(_ login: String, _ name: String, _ id: String) -> GeotareasAssignee {
        GeotareasAssignee(kind: .user, id: id, name: login, displayName: name, worker: login)
    }

    static func group(_ name: String, _ id: String, worker: String) -> GeotareasAssignee {
        GeotareasAssignee(kind: .group, id: id, name: name, displayName: name, worker: worker)
    }

    static let jdoe = user("jdoe", "John Doe", "301928374650192837")
    static let mgarcia = user("mgarcia", "Marta García", "301928374650192845")
    static let lfernandez = user("lfernandez", "Lucía Fernández", "301928374650192851")
    static let pruiz = user("pruiz", "Pablo Ruiz", "301928374650192869")
    static let asosa = user("asosa", "Ana Sosa", "301928374650192873")
    static let salesTeam = group("Sales Team", "402918374650192801", worker: "mgarcia")
    static let accountManagers = group("Account Managers", "402918374650192802", worker: "asosa")
    static let fieldOperations = group("Field Operations", "402918374650192803", worker: "rquiroga")
    static let customerCare = group("Customer Care", "402918374650192804", worker: "cbenitez")
    static let technicalSupport = group("Technical Support", "402918374650192805", worker: "dcastro")
    static let humanResources = group("Human Resources", "402918374650192806", worker: "vromero")
    static let finance = group("Finance", "402918374650192807", worker: "nmolina")

    static func step(
        _ nodeID: String, _ name: String, _ assignee: GeotareasAssignee, _ result: (String, String), due: Int? = nil,
        _ fields: [GeotareasField]
    ) -> GeotareasStep {
        GeotareasStep(nodeID: nodeID, name: name, assignee: assignee, resultCode: result.0, resultLabel: result.1, fields: fields, dueDays: due)
    }

    static func field(_ name: String, _ type: String, _ value: EmulatorJSON) -> GeotareasField {
        GeotareasField(name: name, type: type, value: value)
    }

    static let definitions: [GeotareasDefinition] = [
        definition(
            "482938470192837465", "New Account Onboarding", "Welcome a newly signed account and schedule the kickoff call.", .cuenta,
            version: 3, triggers: ["manual", "event"], created: (2025, 9, 1),
            [
                step(
                    "node_a1b2c3", "Verify Contact Information", jdoe, ("approved", "Approved"), due: 1,
                    [
                        field("contact_verified", "boolean", .bool(true)), field("phone_confirmed", "boolean", .bool(true)),
                        field("verification_notes", "text", .string("Confirmed via phone call.")),
                    ]
                ),
                step(
                    "node_d4e5f6", "Send Welcome Email", salesTeam, ("sent", "Sent"), due: 2,
                    [field("email_template", "select", .string("welcome_enterprise")), field("sent_on", "date", .string(""))]
                ),
                step(
                    "node_g7h8i9", "Schedule Kickoff Call", accountManagers, ("scheduled", "Scheduled"), due: 5,
                    [field("kickoff_date", "date", .string("")), field("attendees", "number", .integer(4))]
                ),
            ]
        ),
        definition(
            "482938470192837466", "Field Visit Inspection", "On-site inspection of a customer facility with a written report.", .tarea,
            version: 5, triggers: ["manual", "schedule"], created: (2025, 6, 12),
            [
                step(
                    "node_1f2e3d", "Assign Technician", fieldOperations, ("assigned", "Assigned"), due: 1,
                    [field("technician", "select", .string("lfernandez"))]),
                step(
                    "node_4c5b6a", "On-site Inspection", lfernandez, ("completed", "Completed"), due: 3,
                    [
                        field("site_reachable", "boolean", .bool(true)), field("photos_taken", "number", .integer(12)),
                        field("findings", "text", .string("Minor corrosion on the north fence; two fuses replaced.")),
                    ]
                ),
                step(
                    "node_7a8b9c", "Upload Inspection Report", lfernandez, ("uploaded", "Uploaded"),
                    [field("report", "file", .string("inspection_report.pdf"))]),
                step(
                    "node_0d1e2f", "Supervisor Review", mgarcia, ("approved", "Approved"), due: 2,
                    [field("review_notes", "text", .string("Report complete."))]),
            ]
        ),
        definition(
            "482938470192837467", "Customer Complaint Resolution", "Register, investigate and resolve a customer complaint.", .cliente,
            version: 2, triggers: ["manual", "event"], created: (2025, 11, 3),
            [
                step(
                    "node_3a4b5c", "Register Complaint", customerCare, ("registered", "Registered"),
                    [field("channel", "select", .string("phone")), field("summary", "text", .string("Delivery arrived two days late."))]
                ),
                step(
                    "node_6d7e8f", "Investigate Root Cause", pruiz, ("found", "Root cause found"), due: 2,
                    [field("root_cause", "select", .string("carrier_delay")), field("notes", "text", .string("Carrier missed the pickup window."))]
                ),
                step(
                    "node_9a0b1c", "Propose Resolution", pruiz, ("proposed", "Proposed"), due: 1,
                    [field("compensation_amount", "number", .integer(1500)), field("resolution", "text", .string("Refund of the shipping cost."))]
                ),
                step(
                    "node_2d3e4f", "Customer Confirmation", customerCare, ("accepted", "Accepted by customer"), due: 3,
                    [field("customer_accepted", "boolean", .bool(true))]),
            ]
        ),
        definition(
            "482938470192837468", "Device Maintenance Request", "Diagnose and repair a handheld device in the field fleet.", .dispositivo,
            version: 1, triggers: ["manual", "event"], created: (2026, 1, 8),
            [
                step(
                    "node_5e6f7a", "Diagnose Device", technicalSupport, ("diagnosed", "Diagnosed"), due: 1,
                    [field("fault_code", "select", .string("BATTERY")), field("diagnosis_notes", "text", .string("Battery swollen; replace."))]
                ),
                step(
                    "node_8b9c0d", "Order Spare Parts", asosa, ("ordered", "Ordered"), due: 2,
                    [field("part_number", "text", .string("BTRY-TC52-4150")), field("quantity", "number", .integer(1))]
                ),
                step(
                    "node_1e2f3a", "Repair and Test", technicalSupport, ("repaired", "Repaired"), due: 5,
                    [field("test_passed", "boolean", .bool(true)), field("repair_date", "date", .string(""))]
                ),
            ]
        ),
        definition(
            "482938470192837469", "Staff Leave Request", "Approve and register an employee's leave.", .personal,
            version: 4, triggers: ["manual"], created: (2025, 3, 20),
            [
                step(
                    "node_4b5c6d", "Manager Approval", mgarcia, ("approved", "Approved"), due: 2,
                    [field("leave_days", "number", .integer(5)), field("leave_start", "date", .string(""))]
                ),
                step(
                    "node_7e8f9a", "HR Registration", humanResources, ("registered", "Registered"), [field("payroll_updated", "boolean", .bool(true))]
                ),
            ]
        ),
        definition(
            "482938470192837470", "Expense Reimbursement", nil, .ninguna, version: 2, triggers: ["manual"], created: (2025, 7, 1),
            [
                step(
                    "node_0b1c2d", "Submit Receipts", jdoe, ("submitted", "Submitted"),
                    [field("amount", "number", .integer(23450)), field("receipts", "file", .string("receipts.zip"))]
                ),
                step(
                    "node_3e4f5a", "Finance Approval", finance, ("approved", "Approved"), due: 3, [field("cost_center", "select", .string("CC-210"))]),
                step("node_6b7c8d", "Payment", finance, ("paid", "Paid"), due: 7, [field("paid_on", "date", .string(""))]),
            ]
        ),
        definition(
            "482938470192837471", "Legacy Survey Dispatch", "Replaced by the customer portal survey.", .ninguna,
            version: 1, triggers: ["schedule"], created: (2024, 5, 2), active: false,
            [
                step(
                    "node_9e0f1a", "Send Survey", customerCare, ("sent", "Sent"),
                    [field("survey_link", "text", .string("https://survey.example.com/s/2024"))])
            ]
        ),
    ]

    private static func definition(
        _ id: String, _ name: String, _ description: String?, _ entityType: GeotareasEntityType, version: Int, triggers: [String],
        created: (Int, Int, Int), active: Bool = true, _ steps: [GeotareasStep]
    ) -> GeotareasDefinition {
        let createdAt = GeotareasTime.local(created.0, created.1, created.2, 9, 30)
        return GeotareasDefinition(
            id: id, name: name, description: description, isActive: active, entityType: entityType, version: version, steps: steps,
            triggers: triggers, createdAt: createdAt, updatedAt: createdAt.addingTimeInterval(TimeInterval(version * 9 * 86_400))
        )
    }

    /// The entities instances attach to, by type: 18-digit ids and display labels.
    static let entities: [GeotareasEntityType: [(id: String, label: String)]] = [
        .cuenta: [
            ("738291047382910473", "Acme Corp"), ("738291047382910481", "Globex Argentina S.A."), ("738291047382910497", "Initech SRL"),
            ("738291047382910502", "Umbrella Logística"),
        ],
        .tarea: [
            ("812034958172630011", "OT-2026-0142 Relevamiento sucursal Palermo"), ("812034958172630027", "OT-2026-0157 Tablero eléctrico Rosario"),
            ("812034958172630034", "OT-2026-0163 Depósito Avellaneda"),
        ],
        .cliente: [("905128374610293847", "María López"), ("905128374610293852", "Juan Pérez"), ("905128374610293866", "Sofía Martínez")],
        .dispositivo: [
            ("660192837465019283", "Zebra TC52 #A-118"), ("660192837465019291", "Honeywell CT40 #B-07"),
            ("660192837465019305", "Samsung Tab A8 #C-22"),
        ],
        .personal: [("733910284756102938", "Lucía Fernández"), ("733910284756102945", "Diego Castro"), ("733910284756102951", "Valeria Romero")],
    ]
}
