import FlowgateCore

/// `files[]` of an instance status, whose item shape Workingflow does not document: the docs' only
/// example is `[]`. Accepted: a bare name, or an object naming the stored file (the name the download
/// URL needs) with any of `storedName`, `fileName`, `name` in any key style (`stored_name`,
/// `file_name`, `filename`…), preferred in that order, plus optional original name, content type and
/// size. An item with no usable name is skipped and reported; the rest of the answer stands.
struct WorkingflowFiles {
    static let storedNameKeys = ["storedName", "fileName", "name"]
    static let originalNameKeys = ["originalName", "originalFileName", "originalFilename", "displayName"]
    static let contentTypeKeys = ["contentType", "mimeType", "mediaType"]
    static let sizeKeys = ["size", "fileSize", "length"]

    let json: UpstreamJSON
    let instance: CanonicalID

    func read(_ value: JSONValue?) -> [FileRef] {
        json.items(value, "files").compactMap(file)
    }

    private func file(_ entry: JSONValue) -> FileRef? {
        switch entry {
        case .string(let name) where !name.isEmpty:
            return ref(name, originalName: nil, contentType: nil, size: nil)
        case .object(let members):
            let item = UpstreamObject(members)
            let named = item.value(Self.storedNameKeys)
            guard let name = json.text(named, "files[].name"), !name.isEmpty else {
                json.drift("files[].name", named)
                return nil
            }
            return ref(
                name, originalName: json.text(item.value(Self.originalNameKeys), "files[].originalName"),
                contentType: json.text(item.value(Self.contentTypeKeys), "files[].contentType"),
                size: json.integer(item.value(Self.sizeKeys), "files[].size").flatMap { $0 >= 0 ? $0 : nil }
            )
        default:
            json.drift("files[]", shape: entry == .string("") ? "empty string" : entry.typeName)
            return nil
        }
    }

    private func ref(_ name: String, originalName: String?, contentType: String?, size: Int?) -> FileRef {
        FileRef(
            name: name, originalName: originalName, contentType: contentType, size: size,
            url: "/v1/instances/\(PathSegment.encode(instance.description))/files/\(PathSegment.encode(name))"
        )
    }
}
