/// The key style of bizproc template objects. The facade does not publish them: the generic entity
/// API camel-cases native fields (`documentType`), while the workflow list passes native UPPER_CASE
/// names through (`DOCUMENT_TYPE`).
public enum Bitrix24TemplateKeys: String, EmulatorVariant {
    /// `id`, `name`, `moduleId`, `documentType`… (inferred from the entity API; the standard answer).
    case camel
    /// `ID`, `NAME`, `MODULE_ID`, `DOCUMENT_TYPE`…, as the native template list names them.
    case upper

    public static let key = "template_keys"
    public static let standard = Bitrix24TemplateKeys.camel
}

/// A template's document type: the facade's flattened string, or Bitrix24's native array.
public enum Bitrix24DocumentTypeShape: String, EmulatorVariant {
    /// `"DEAL"` (inferred from the facade flattening `DOCUMENT_ID`; the standard answer).
    case string
    /// `["crm", "CCrmDocumentDeal", "DEAL"]`, the native REST shape.
    case array

    public static let key = "document_type"
    public static let standard = Bitrix24DocumentTypeShape.string
}

/// Where the template list answers. The start page names `/v1/entities/bizproc-templates`; third-party
/// notes observed `/v1/bizproc-templates`. The other path answers `404` like any unknown path.
public enum Bitrix24TemplatesRoute: String, EmulatorVariant {
    /// Both paths (the standard answer, until a probe settles it).
    case both
    /// Only `/v1/entities/bizproc-templates`.
    case documented
    /// Only `/v1/bizproc-templates`.
    case other

    public static let key = "templates_path"
    public static let standard = Bitrix24TemplatesRoute.both

    func serves(documentedPath: Bool) -> Bool {
        switch self {
        case .both: true
        case .documented: documentedPath
        case .other: !documentedPath
        }
    }
}
