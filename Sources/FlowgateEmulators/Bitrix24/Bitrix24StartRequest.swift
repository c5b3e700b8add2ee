import Foundation
import NIOCore
import NIOFoundationEssentialsCompat

/// The body of `POST /v1/workflows/start` (VC:automation/workflows/start), checked field by field.
struct Bitrix24StartRequest: Sendable {
    var templateID: Int
    var entityType: Bitrix24EntityType
    var entityID: Int
    var parameters: [String: EmulatorJSON]

    /// [INF] the shape checks answer 400 `VALIDATION_ERROR`, the code the platform uses for a bad request shape.
    init(body: ByteBuffer) throws(Bitrix24Error) {
        guard let value = try? JSONDecoder().decode(EmulatorJSON.self, from: Data(buffer: body)), case .object(let fields) = value else {
            throw .validation("Request body must be a JSON object")
        }
        // Numbers only: the docs type templateId and entityId as number, so "713" is a gateway bug worth catching.
        guard let templateID = fields["templateId"]?.wholeNumber, templateID > 0 else {
            throw .validation("templateId is required and must be a positive number")
        }
        guard case .string(let typeName) = fields["entityType"], let entityType = Bitrix24EntityType(rawValue: typeName) else {
            throw .validation("entityType is required and must be one of: deal, lead, contact, company")
        }
        guard let entityID = fields["entityId"]?.wholeNumber, entityID > 0 else {
            throw .validation("entityId is required and must be a positive number")
        }
        var parameters: [String: EmulatorJSON] = [:]
        switch fields["parameters"] {
        case nil, .null?: break
        case .object(let values)?: parameters = values
        default: throw .validation("parameters must be an object")
        }
        self.templateID = templateID
        self.entityType = entityType
        self.entityID = entityID
        self.parameters = parameters
    }
}
