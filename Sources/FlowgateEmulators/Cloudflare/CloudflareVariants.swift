/// How an instance list answers a request that names no cursor. The API documents `page`/`per_page`
/// and `cursor` as mutually exclusive modes; whether a page-mode answer also hands out a cursor to
/// switch modes with is not said.
public enum CloudflareListing: String, EmulatorVariant {
    /// Page mode throughout: `result_info.page`, and a cursor only in answers to cursor requests (the
    /// standard answer, as the modes are documented exclusive).
    case pageMode = "page_mode"
    /// A page-mode answer also carries `result_info.cursor` when more items follow, so a caller can go
    /// on in cursor mode from the first page.
    case firstPageCursor = "first_page_cursor"

    public static let key = "listing"
    public static let standard = CloudflareListing.pageMode
}
