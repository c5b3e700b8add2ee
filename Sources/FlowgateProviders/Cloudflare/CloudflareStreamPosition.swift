import FlowgateCore

/// Where one workflow's instance list continues: an upstream page, after its first `skip` items.
///
/// Cloudflare pages instance lists in one of two exclusive modes: `page`/`per_page`, or an opaque
/// `cursor` handed out in `result_info.cursor`. A list starts in page mode and switches to cursor
/// mode as soon as an answer carries a cursor; a page-mode position keeps its `per_page`, since a page
/// number means nothing at another page size.
///
/// In a list cursor: `{"page": n, "per_page": p, "skip": k}` or `{"cursor": "…", "skip": k}`.
struct CloudflareStreamPosition: Sendable, Hashable {
    enum Page: Sendable, Hashable {
        case number(Int, perPage: Int)
        case cursor(String)
    }

    var page: Page
    var skip: Int

    /// The first page of a list read `perPage` items at a time.
    static func first(perPage: Int) -> CloudflareStreamPosition {
        CloudflareStreamPosition(page: .number(1, perPage: perPage), skip: 0)
    }

    init(page: Page, skip: Int) {
        self.page = page
        self.skip = skip
    }

    /// Reads a position this gateway wrote; nil for anything else. `{"cursor": null}`, what earlier
    /// versions wrote for a first page, is the first page at `perPage`.
    init?(_ value: JSONValue, perPage: Int) {
        guard case .object(let members) = value, case .int(let skip)? = members["skip"], skip >= 0, skip <= 100 else { return nil }
        switch (members["page"], members["per_page"], members["cursor"]) {
        case (.int(let number)?, .int(let size)?, nil) where number >= 1 && number <= Int64(Int32.max) && (1...100).contains(size):
            page = .number(Int(number), perPage: Int(size))
        case (nil, nil, .string(let cursor)?) where !cursor.isEmpty:
            page = .cursor(cursor)
        case (nil, nil, .null?):
            page = .number(1, perPage: perPage)
        default:
            return nil
        }
        self.skip = Int(skip)
    }

    var json: JSONValue {
        switch page {
        case .number(let number, let perPage):
            .object(["page": .int(Int64(number)), "per_page": .int(Int64(perPage)), "skip": .int(Int64(skip))])
        case .cursor(let cursor):
            .object(["cursor": .string(cursor), "skip": .int(Int64(skip))])
        }
    }
}
