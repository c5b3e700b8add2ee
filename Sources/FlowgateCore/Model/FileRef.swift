/// A file an instance produced, downloadable through the gateway at `url`.
public struct FileRef: Sendable, Hashable {
    /// The name the upstream stores it under, the one its download path takes.
    public var name: String
    /// The name it was uploaded with, where the upstream says (Workingflow stores `a3f8b2c1_receipt.pdf`
    /// for `receipt.pdf`).
    public var originalName: String?
    public var contentType: String?
    public var size: Int?
    /// The gateway path that streams the file: `/v1/instances/{id}/files/{name}`.
    public var url: String

    public init(name: String, originalName: String? = nil, contentType: String?, size: Int?, url: String) {
        self.name = name
        self.originalName = originalName
        self.contentType = contentType
        self.size = size
        self.url = url
    }
}

extension FileRef: Codable {
    enum CodingKeys: String, CodingKey {
        case name
        case originalName = "original_name"
        case contentType = "content_type"
        case size, url
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try container.decode(String.self, forKey: .name),
            originalName: try container.decodeIfPresent(String.self, forKey: .originalName),
            contentType: try container.decodeIfPresent(String.self, forKey: .contentType),
            size: try container.decodeIfPresent(Int.self, forKey: .size),
            url: try container.decode(String.self, forKey: .url)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(originalName, forKey: .originalName)
        try container.encode(contentType, forKey: .contentType)
        try container.encode(size, forKey: .size)
        try container.encode(url, forKey: .url)
    }
}

extension FileRef: CanonicalJSONWritable {
    public func writeJSON(to writer: inout CanonicalJSONWriter) throws {
        try writer.object {
            try $0.member("content_type", contentType)
            try $0.member("name", name)
            try $0.member("original_name", originalName)
            try $0.member("size", size)
            try $0.member("url", url)
        }
    }
}
