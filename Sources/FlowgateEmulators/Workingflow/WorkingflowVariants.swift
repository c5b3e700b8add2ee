/// The shape of `files[]` items in an instance's status. Workingflow documents the array but its only
/// example is `[]`, so the item shape is open; these are the plausible ones.
public enum WorkingflowFileItems: String, EmulatorVariant {
    /// `{"name", "originalName", "contentType", "size", "uploadTime"}`, `name` being the stored name
    /// the download URL takes (inferred; the standard answer).
    case object
    /// The stored name alone, as a string.
    case bare
    /// Objects whose stored-name key is spelled otherwise; the snake_case spellings write the other
    /// keys in snake_case too (`original_name`, `content_type`, `upload_time`).
    case fileName, filename, storedName
    case storedNameSnake = "stored_name"
    case fileNameSnake = "file_name"

    public static let key = "file_items"
    public static let standard = WorkingflowFileItems.object

    /// The stored-name key of an object item; nil for a bare name.
    var nameKey: String? {
        switch self {
        case .object: "name"
        case .bare: nil
        default: rawValue
        }
    }

    var isSnakeCase: Bool { self == .storedNameSnake || self == .fileNameSnake }
}
