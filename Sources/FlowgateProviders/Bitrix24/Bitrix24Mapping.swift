import FlowgateCore

/// Vibecode wire objects → canonical ones (docs/providers.md).
///
/// Strict: an instance's `ID` and a template's `ID` (`502` naming the field). Everything else is read
/// tolerantly, in either key style — the workflow list passes native UPPER_CASE names through, the
/// generic entity API camel-cases them — and in either document shape: the facade's flattened string
/// (`DEAL_5141`, `DEAL`) or Bitrix24's native array (`["crm", "CCrmDocumentDeal", "DEAL_5141"]`).
struct Bitrix24Mapping {
    let connection: ProviderConnection
    var json: UpstreamJSON { UpstreamJSON(connection) }

    /// The CRM types the facade's start accepts, by the `DOCUMENT_ID` / `DOCUMENT_TYPE` prefix.
    static let crmTypes: [String: String] = ["DEAL": "deal", "LEAD": "lead", "CONTACT": "contact", "COMPANY": "company"]

    /// The members of a success envelope; a 2xx without `success: true` breaks the contract.
    func envelope(_ reply: UpstreamReply) throws -> [String: JSONValue] {
        let root = try json.object(try json.document(reply), "answer")
        guard case .bool(true)? = root["success"] else { throw json.broken("a 2xx answer without success: true", status: reply.status) }
        return root
    }

    /// One item of `GET /v1/workflows`. Everything listed is running: the list shows nothing else, and it
    /// carries no status word, so `provider_status` stays null rather than inventing one.
    func instance(_ value: JSONValue, at path: String, includeRaw: Bool) throws -> Instance {
        let item = UpstreamObject(try json.object(value, path))
        let id = try json.identifier(item["ID"], "\(path).ID")
        let template = json.text(item["TEMPLATE_ID"], "data[].TEMPLATE_ID").flatMap { $0.isEmpty ? nil : $0 }
        return Instance(
            id: connection.id(id), provider: .bitrix24, definition: .init(id: template.map { connection.id($0).description }, name: nil),
            status: .running, providerStatus: nil, startedAt: json.instant(item["STARTED"], "data[].STARTED"),
            updatedAt: json.instant(item["MODIFIED"], "data[].MODIFIED"), endedAt: nil,
            startedBy: json.text(item["STARTED_BY"], "data[].STARTED_BY"), entity: entity(item), currentStep: nil, pendingTasks: nil,
            raw: includeRaw ? value : nil
        )
    }

    /// `DEAL_5141` → `{type: deal, id: "5141"}`, the shape start takes back; other documents (lists,
    /// disk) keep their document class as the type and the id untouched.
    private func entity(_ item: UpstreamObject) -> Instance.EntityRef? {
        guard let document = Bitrix24Document(item["DOCUMENT_ID"], field: "data[].DOCUMENT_ID", json: json), !document.value.isEmpty else {
            return nil
        }
        if let underscore = document.value.lastIndex(of: "_"), let type = Self.crmTypes[String(document.value[..<underscore])] {
            let number = document.value[document.value.index(after: underscore)...]
            if Self.isNumber(number) { return .init(type: type, id: String(number)) }
        }
        let type = document.entity ?? json.text(item["ENTITY"], "data[].ENTITY") ?? "document"
        return .init(type: type, id: document.value)
    }

    /// A positive whole number in plain ASCII digits, as Bitrix24's numeric ids are.
    static func isNumber(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.count <= 18 && text.utf8.allSatisfy { (48...57).contains($0) } && Int(text).map { $0 > 0 } == true
    }

    /// One bizproc template. Only CRM templates of the four facade types can be started through the gateway.
    func definition(_ value: JSONValue, at path: String, includeRaw: Bool) throws -> Definition {
        let item = UpstreamObject(try json.object(value, path))
        let id = try json.identifier(item["ID"], "\(path).ID")
        let document = Bitrix24Document(item["DOCUMENT_TYPE"], field: "data[].DOCUMENT_TYPE", json: json)
        let entity = document?.entity ?? json.text(item["ENTITY"], "data[].ENTITY")
        let module = json.text(item["MODULE_ID"], "data[].MODULE_ID") ?? document?.module ?? (entity?.hasPrefix("CCrm") == true ? "crm" : nil)
        let crmType = module == "crm" ? document.flatMap { Self.crmTypes[$0.value] } : nil
        return Definition(
            id: connection.id(id), provider: .bitrix24, name: json.text(item["NAME"], "data[].NAME"),
            startable: crmType != nil, entityType: crmType ?? document?.value, raw: includeRaw ? value : nil
        )
    }
}

/// A document id or type in either of Bitrix24's shapes: the facade's string (`DEAL_5141`, `DEAL`) or
/// the native `[module, entity class, id or type]` array. Anything else is reported and read as absent.
struct Bitrix24Document {
    var value: String
    var module: String?
    var entity: String?

    init?(_ raw: JSONValue?, field: String, json: UpstreamJSON) {
        switch raw {
        case nil, .null?: return nil
        case .string(let text)?: value = text
        case .array(let parts)? where parts.count == 3 && parts.allSatisfy({ $0.stringValue != nil }):
            value = parts[2].stringValue ?? ""
            module = parts[0].stringValue
            entity = parts[1].stringValue
        case let other?:
            json.drift(field, shape: other.typeName == "array" ? "array not of 3 strings" : other.typeName)
            return nil
        }
    }
}
