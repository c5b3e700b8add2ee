import Foundation

/// One running instance in `GET /v1/workflows`: UPPER_CASE fields passed through from native
/// `bizproc.workflow.instances`, with `DOCUMENT_ID` flattened to a string (the vibecode list page). An unlocked instance
/// shows `"OWNED_UNTIL": null`, as documented, not a missing key.
struct Bitrix24InstanceWire: Encodable {
    var id: String
    var modified: String
    @EmulatorNullable var ownedUntil: String?
    var moduleID: String
    var entity: String
    var documentID: String
    var started: String
    var startedBy: String
    var templateID: String

    enum CodingKeys: String, CodingKey {
        case id = "ID", modified = "MODIFIED", ownedUntil = "OWNED_UNTIL", moduleID = "MODULE_ID", entity = "ENTITY"
        case documentID = "DOCUMENT_ID", started = "STARTED", startedBy = "STARTED_BY", templateID = "TEMPLATE_ID"
    }
}

/// `{success:true, data:[…], meta:{total}}` for `GET /v1/workflows`; the documented meta holds only
/// `total`, so the caller derives the next offset as offset + 50 while that is below `total`.
struct Bitrix24InstancePage: Encodable {
    let success = true
    var data: [Bitrix24InstanceWire]
    var meta: Meta

    /// `meta` of the workflow list.
    struct Meta: Encodable {
        var total: Int
    }
}

/// The generic entity list envelope (VC:entity-api): `meta.total` and `meta.hasMore`.
/// [GAP] the facade's template field names are unpublished; the items come in the shape the switches
/// select (``Bitrix24Template/wire(keys:documentType:)``).
struct Bitrix24TemplatePage: Encodable {
    let success = true
    var data: [EmulatorJSON]
    var meta: Meta

    /// `meta` of a generic entity list.
    struct Meta: Encodable {
        var total: Int
        var hasMore: Bool
    }
}

/// `POST /v1/workflows/start` answer, exactly the documented `{success, data: {workflowId}}`.
struct Bitrix24StartResponse: Encodable {
    let success = true
    var data: Started

    /// `data` of the start answer.
    struct Started: Encodable {
        var workflowId: String
    }
}
