import FlowgateCore

/// Vibecode wire objects → canonical ones (upstreams.md §1.3, §5.2).
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
        let item = try json.object(value, path)
        let id = try json.identifier(item["ID"], "\(path).ID")
        let template = try json.identifier(item["TEMPLATE_ID"], "\(path).TEMPLATE_ID")
        guard let started = try json.timestamp(item["STARTED"], "\(path).STARTED") else { throw json.broken("\(path).STARTED is missing") }
        return Instance(
            id: connection.id(id), provider: .bitrix24,
            definition: .init(id: connection.id(template).description, name: nil),
            status: .running, providerStatus: nil, startedAt: started,
            updatedAt: try json.timestamp(item["MODIFIED"], "\(path).MODIFIED"), endedAt: nil,
            startedBy: try json.optionalString(item["STARTED_BY"], "\(path).STARTED_BY"),
            entity: try entity(item, at: path), currentStep: nil, pendingTasks: nil, raw: includeRaw ? value : nil
        )
    }

    /// `DEAL_5141` → `{type: deal, id: "5141"}`, the shape start takes back; other documents (lists,
    /// disk) keep their document class as the type and the id untouched.
    private func entity(_ item: [String: JSONValue], at path: String) throws -> Instance.EntityRef? {
        guard let document = try json.optionalString(item["DOCUMENT_ID"], "\(path).DOCUMENT_ID"), !document.isEmpty else { return nil }
        if let underscore = document.lastIndex(of: "_"), let type = Self.crmTypes[String(document[..<underscore])] {
            let number = document[document.index(after: underscore)...]
            if Self.isNumber(number) { return .init(type: type, id: String(number)) }
        }
        let type = try json.optionalString(item["ENTITY"], "\(path).ENTITY") ?? "document"
        return .init(type: type, id: document)
    }

    /// A positive whole number in plain ASCII digits, as Bitrix24's numeric ids are.
    static func isNumber(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.count <= 18 && text.utf8.allSatisfy { (48...57).contains($0) } && Int(text).map { $0 > 0 } == true
    }

    /// One bizproc template. Only CRM templates of the four facade types can be started through the gateway.
    func definition(_ value: JSONValue, at path: String, includeRaw: Bool) throws -> Definition {
        let item = try json.object(value, path)
        let id = try json.identifier(item["id"], "\(path).id")
        let documentType = try json.optionalString(item["documentType"], "\(path).documentType")
        let module = try json.optionalString(item["moduleId"], "\(path).moduleId")
        let crmType = module == "crm" ? documentType.flatMap { Self.crmTypes[$0] } : nil
        return Definition(
            id: connection.id(id), provider: .bitrix24, name: try json.optionalString(item["name"], "\(path).name"),
            startable: crmType != nil, entityType: crmType ?? documentType, raw: includeRaw ? value : nil
        )
    }
}
