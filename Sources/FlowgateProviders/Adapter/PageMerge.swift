import FlowgateCore

/// Merges several newest-first lists into one page, and says where each list continues.
///
/// A k-way merge by heads: each step takes the newest of the lists' next items. Whatever order each
/// list is in, the items taken from it are a prefix of it, so its continuation is exactly the
/// position after the last one taken — which is what makes cursor paging see every item once. When
/// every list is itself newest first (by `started_at`, nulls last, then id), the page is too.
public enum PageMerge {
    public struct Result: Sendable {
        /// Indexes into the input pages, in page order.
        public var taken: [(page: Int, item: Int)]
        /// Per input page, how many of its items were taken.
        public var counts: [Int]
    }

    public static func merge(_ pages: [InstancePage], limit: Int) -> Result {
        var heads = Array(repeating: 0, count: pages.count)
        var taken: [(page: Int, item: Int)] = []
        while taken.count < limit {
            var best: Int?
            for page in pages.indices where heads[page] < pages[page].items.count {
                guard let current = best else {
                    best = page
                    continue
                }
                if isNewer(pages[page].items[heads[page]].instance, than: pages[current].items[heads[current]].instance) {
                    best = page
                }
            }
            guard let chosen = best else { break }
            taken.append((chosen, heads[chosen]))
            heads[chosen] += 1
        }
        return Result(taken: taken, counts: heads)
    }

    /// Where a page's list continues once `count` of its items were taken; `start` is where it began.
    public static func continuation(of page: InstancePage, taking count: Int, from start: JSONValue?) -> Continuation {
        if count == 0 {
            // Nothing taken: continue where it began, unless it had nothing to offer at all.
            return page.items.isEmpty ? (page.end.map(Continuation.at) ?? .exhausted) : (start.map(Continuation.at) ?? .fromStart)
        }
        let after = count == page.items.count ? page.end : page.items[count - 1].after
        return after.map(Continuation.at) ?? .exhausted
    }

    public enum Continuation: Sendable, Hashable {
        /// Nothing was consumed from a list that was at its start: ask it again from the start.
        case fromStart
        case at(JSONValue)
        case exhausted
    }

    /// "Newest first": later `started_at` first, unknown start times last, then by id for a stable order.
    public static func isNewer(_ a: Instance, than b: Instance) -> Bool {
        switch (a.startedAt, b.startedAt) {
        case let (x?, y?) where x != y: return x > y
        case (.some, nil): return true
        case (nil, .some): return false
        default: return a.id.description < b.id.description
        }
    }
}
