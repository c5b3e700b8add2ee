/// The upstream workflow engines Flowgate speaks to.
public enum ProviderKind: String, Sendable, Hashable, Codable, CaseIterable {
    case bitrix24
    case workingflow
    case geotareas
    case cloudflare
}

extension ProviderKind: CanonicalJSONWritable {}
