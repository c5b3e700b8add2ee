import Foundation

/// The CRM document types `POST /v1/workflows/start` accepts (VC:automation/workflows/start).
enum Bitrix24EntityType: String, CaseIterable, Sendable {
    case deal, lead, contact, company

    /// Native document class, the `ENTITY` field.
    var documentClass: String {
        switch self {
        case .deal: "CCrmDocumentDeal"
        case .lead: "CCrmDocumentLead"
        case .contact: "CCrmDocumentContact"
        case .company: "CCrmDocumentCompany"
        }
    }

    /// Type prefix of `DOCUMENT_ID` and a template's `DOCUMENT_TYPE`: `DEAL` in `DEAL_5141`.
    var documentType: String { rawValue.uppercased() }
}

/// A bizproc template (workflow definition) as the native template list knows it.
struct Bitrix24Template: Sendable {
    var id: Int
    var name: String
    var moduleID: String
    var entity: String
    var documentType: String
    /// 0 none, 1 on create, 2 on modify, 3 both (native `AUTO_EXECUTE`).
    var autoExecute: Int
    var modified: Date
    var userID: String

    /// The template as the switches shape it (``Bitrix24TemplateKeys``, ``Bitrix24DocumentTypeShape``).
    func wire(keys: Bitrix24TemplateKeys, documentType shape: Bitrix24DocumentTypeShape) -> EmulatorJSON {
        let type: EmulatorJSON =
            switch shape {
            case .string: .string(documentType)
            case .array: .array([.string(moduleID), .string(entity), .string(documentType)])
            }
        let fields: [(camel: String, upper: String, value: EmulatorJSON)] = [
            ("id", "ID", .integer(id)), ("name", "NAME", .string(name)), ("moduleId", "MODULE_ID", .string(moduleID)),
            ("entity", "ENTITY", .string(entity)), ("documentType", "DOCUMENT_TYPE", type), ("autoExecute", "AUTO_EXECUTE", .integer(autoExecute)),
            ("modified", "MODIFIED", .string(Bitrix24Timestamp.format(modified))), ("isModified", "IS_MODIFIED", .bool(true)),
            ("userId", "USER_ID", .string(userID)),
        ]
        return .object(Dictionary(uniqueKeysWithValues: fields.map { (keys == .upper ? $0.upper : $0.camel, $0.value) }))
    }
}

/// A workflow instance, running or not; only running ones are ever visible (the list shows running
/// workflows only).
struct Bitrix24Instance: Sendable {
    /// Where the instance is in its life; the wire has no status field, only presence in the list.
    enum State: Sendable, Equatable {
        case running
        /// A soft terminate waits for the step that holds the lock; the instance ends when `OWNED_UNTIL` passes.
        case terminating(reason: String?)
        /// Terminated (data kept, as native `bizproc.workflow.terminate` keeps it) or completed.
        case finished(reason: String?)
    }

    var id: String
    var templateID: Int
    var moduleID: String
    var entity: String
    var documentID: String
    var startedBy: String
    var started: Date
    var modified: Date
    var ownedUntil: Date?
    var parameters: [String: EmulatorJSON]
    var state: State

    func isRunning(at now: Date) -> Bool {
        switch state {
        case .running: true
        case .terminating: (ownedUntil ?? .distantPast) > now
        case .finished: false
        }
    }

    var wire: Bitrix24InstanceWire {
        Bitrix24InstanceWire(
            id: id, modified: Bitrix24Timestamp.format(modified), ownedUntil: ownedUntil.map { Bitrix24Timestamp.format($0) },
            moduleID: moduleID, entity: entity, documentID: documentID, started: Bitrix24Timestamp.format(started),
            startedBy: startedBy, templateID: String(templateID)
        )
    }
}

/// Instance ids the way PHP `uniqid('', true)` makes them, as the documented `69f0c2d5ade389.22457798`
/// is: 8 hex digits of Unix seconds (0x69f0c2d5 is exactly that example's STARTED), 5 of microseconds,
/// then a random `d.dddddddd`. Deterministic: the "random" part is a fixed-seed LCG.
struct Bitrix24IDGenerator: Sendable {
    private var lastMicros: Int64 = 0
    private var state: UInt64 = 0x2545_F491_4F6C_DD1D

    mutating func next(at date: Date) -> String {
        // Strictly increasing, so two starts in the same microsecond (or a clock moved back) never collide.
        let micros = max(Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down)), lastMicros + 1)
        lastMicros = micros
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let entropy = Int((state >> 33) % 1_000_000_000)
        let fraction = String(entropy % 100_000_000)
        let paddedFraction = String(repeating: "0", count: 8 - fraction.count) + fraction
        return Self.hex(micros / 1_000_000, width: 8) + Self.hex(micros % 1_000_000, width: 5) + "\(entropy / 100_000_000)." + paddedFraction
    }

    private static func hex(_ value: Int64, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
