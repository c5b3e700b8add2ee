import FlowgateCore

/// `POST /v1/instances`, validated: every problem of the body is reported at once. Lengths are UTF-8
/// bytes (``InputBounds``).
struct StartRequest: Sendable {
    var definition: CanonicalID
    var input: [String: JSONValue]
    var entity: Instance.EntityRef?
    var instanceID: String?

    static func parse(_ body: [String: JSONValue]) throws -> StartRequest {
        var details: [GatewayError.Detail] = []
        for key in body.keys.sorted() where !["definition", "input", "entity", "instance_id"].contains(key) {
            details.append(.init(field: FieldName.printable(key), issue: "unknown field"))
        }
        var definition: CanonicalID?
        switch body["definition"] {
        case nil, .null?: details.append(.init(field: "definition", issue: "is required"))
        case .string(let text)?:
            switch CanonicalIDField.parse(text) {
            case .success(let id): definition = id
            case .failure(let issue): details.append(.init(field: "definition", issue: issue.text))
            }
        case let other?: details.append(.init(field: "definition", issue: "must be a string, not \(other.typeName)"))
        }
        var input: [String: JSONValue] = [:]
        switch body["input"] {
        case nil, .null?: break
        case .object(let members)?: input = members
        case let other?: details.append(.init(field: "input", issue: "must be an object, not \(other.typeName)"))
        }
        let entity = parseEntity(body["entity"], into: &details)
        var instanceID: String?
        switch body["instance_id"] {
        case nil, .null?: break
        case .string(let text)?:
            if InputBounds.isInstanceID(text) {
                instanceID = text
            } else {
                details.append(.init(field: "instance_id", issue: "must be 1–100 bytes of A-Z, a-z, 0-9, '-' and '_', not starting with '-'"))
            }
        case let other?: details.append(.init(field: "instance_id", issue: "must be a string, not \(other.typeName)"))
        }
        guard details.isEmpty, let definition else { throw GatewayError.invalid(details) }
        return StartRequest(definition: definition, input: input, entity: entity, instanceID: instanceID)
    }

    private static func parseEntity(_ value: JSONValue?, into details: inout [GatewayError.Detail]) -> Instance.EntityRef? {
        switch value {
        case nil, .null?: return nil
        case .object(let members)?:
            for key in members.keys.sorted() where key != "type" && key != "id" {
                details.append(.init(field: "entity." + FieldName.printable(key), issue: "unknown field"))
            }
            let type = members["type"]?.stringValue
            // Bitrix24 takes a number; the canonical API always speaks strings but accepts an integer here.
            // JSON Schema counts `42.0` as an integer too, so a whole double within 2^53 (exact) is one.
            let id: String? =
                switch members["id"] {
                case .string(let text)?: text
                case .int(let number)?: String(number)
                case .double(let number)? where number.rounded() == number && abs(number) <= 9_007_199_254_740_992:
                    String(Int64(number))
                default: nil
                }
            if type?.isEmpty ?? true { details.append(.init(field: "entity.type", issue: "is required and must be a string")) }
            if id?.isEmpty ?? true { details.append(.init(field: "entity.id", issue: "is required and must be a string")) }
            guard let type, let id, !type.isEmpty, !id.isEmpty else { return nil }
            var valid = true
            for (field, text, bound) in [("entity.type", type, InputBounds.entityType), ("entity.id", id, InputBounds.entityID)] {
                if let issue = InputBounds.issue(text, bound) {
                    details.append(.init(field: field, issue: issue))
                    valid = false
                } else if text.containsControlCharacters {
                    details.append(.init(field: field, issue: "contains a control character"))
                    valid = false
                }
            }
            return valid ? Instance.EntityRef(type: type, id: id) : nil
        case let other?:
            details.append(.init(field: "entity", issue: "must be an object, not \(other.typeName)"))
            return nil
        }
    }
}
