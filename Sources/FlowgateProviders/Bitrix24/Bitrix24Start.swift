import FlowgateCore

/// A canonical start checked against what `POST /v1/workflows/start` takes
/// (https://vibecode.bitrix24.com/docs/automation/workflows/start): a numeric `templateId`, a CRM
/// entity (`deal|lead|contact|company` + numeric id) and `parameters`. Every problem is reported at
/// once, before any upstream call.
struct Bitrix24Start {
    var templateID: Int
    var entityType: String
    var entityID: Int
    var parameters: [String: JSONValue]

    init(_ command: StartCommand, connection: ProviderConnection) throws {
        var details: [GatewayError.Detail] = []
        let templateID = Bitrix24Mapping.isNumber(command.definition) ? Int(command.definition) : nil
        if templateID == nil {
            let issue = "is not a Bitrix24 template id (a positive number after '\(connection.name):')"
            details.append(.init(field: "definition", issue: issue))
        }
        var entityType: String?
        var entityID: Int?
        if let entity = command.entity {
            let type = entity.type.lowercased()
            if Bitrix24Mapping.crmTypes.values.contains(type) {
                entityType = type
            } else {
                details.append(.init(field: "entity.type", issue: "must be one of deal, lead, contact, company for Bitrix24"))
            }
            entityID = Bitrix24Mapping.isNumber(entity.id) ? Int(entity.id) : nil
            if entityID == nil { details.append(.init(field: "entity.id", issue: "must be a positive number for Bitrix24")) }
        } else {
            details.append(.init(field: "entity", issue: "is required for Bitrix24: the CRM record (deal, lead, contact or company) to run on"))
        }
        if command.instanceID != nil {
            details.append(.init(field: "instance_id", issue: "Bitrix24 assigns instance ids itself"))
        }
        guard details.isEmpty, let templateID, let entityType, let entityID else { throw Self.invalid(details, connection: connection) }
        self.templateID = templateID
        self.entityType = entityType
        self.entityID = entityID
        self.parameters = command.input
    }

    /// The upstream body; `parameters` only when there are any.
    var body: JSONValue {
        var body: [String: JSONValue] = [
            "templateId": .int(Int64(templateID)), "entityType": .string(entityType), "entityId": .int(Int64(entityID)),
        ]
        if !parameters.isEmpty { body["parameters"] = .object(parameters) }
        return .object(body)
    }

    /// `400 INVALID_REQUEST` about this connection, with every problem in `details`.
    static func invalid(_ details: [GatewayError.Detail], connection: ProviderConnection) -> GatewayError {
        var error = GatewayError.invalid(details)
        error.connection = connection.name
        error.provider = connection.kind
        return error
    }
}
