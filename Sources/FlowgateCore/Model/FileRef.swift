/// A file an instance produced, downloadable through the gateway at `url`.
public struct FileRef: Sendable, Hashable {
    public var name: String
    public var contentType: String?
    public var size: Int?
    /// The gateway path that streams the file: `/v1/instances/{id}/files/{name}`.
    public var url: String

    public init(name: String, contentType: String?, size: Int?, url: String) {
        self.name = name
        self.contentType = contentType
        self.size = size
        self.url = url
    }
}

extension FileRef: Codable {
    enum CodingKeys: String, CodingKey {
        case name
        case contentType = "content_type"
        case size, url
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(contentType, forKey: .contentType)
        try container.encode(size, forKey: .size)
        try container.encode(url, forKey: .url)
    }
}
