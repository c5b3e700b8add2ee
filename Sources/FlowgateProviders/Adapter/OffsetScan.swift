import FlowgateCore

/// Pages through an offset-paged upstream list, keeping what a local filter admits, until the page is
/// full, the list ends, or `maxPages` upstream pages were read. The list ends where the upstream's
/// documented total (`meta.total` of Bitrix24 and Geotareas) says; only an answer without one (drift,
/// reported) falls back to reading until an empty page.
///
/// Positions are upstream offsets (`.int`). Every item carries the offset right after it, so the merge
/// can take any prefix; `end` is the offset the scan reached, so a page that filtering left short (or
/// empty) still continues exactly where the scan stopped instead of reading the same pages again.
public enum OffsetScan {
    /// One upstream page: the mapped items and the list's total when the upstream reports one.
    public struct Page: Sendable {
        public var instances: [Instance]
        public var total: Int?
        public init(instances: [Instance], total: Int?) {
            self.instances = instances
            self.total = total
        }
    }

    public static func run(
        from start: Int, limit: Int, maxPages: Int, admits: (Instance) -> Bool, fetch: (_ offset: Int) async throws -> Page
    ) async throws -> InstancePage {
        var offset = start
        var items: [InstancePage.Item] = []
        for _ in 0..<maxPages {
            let page = try await fetch(offset)
            if page.instances.isEmpty { return InstancePage(items: items, end: nil) }
            for (index, instance) in page.instances.enumerated() {
                let next = offset + index + 1
                guard admits(instance) else { continue }
                let follows = page.total.map { next < $0 } ?? true
                let after: JSONValue? = follows ? .int(Int64(next)) : nil
                items.append(InstancePage.Item(instance: instance, after: after))
                if items.count == limit { return InstancePage(items: items, end: after) }
            }
            offset += page.instances.count
            if let total = page.total, offset >= total { return InstancePage(items: items, end: nil) }
        }
        return InstancePage(items: items, end: .int(Int64(offset)), bounded: true)
    }

    /// `meta.total` of an offset-paged envelope; nil (reported as drift) when the answer lacks it.
    public static func total(_ root: [String: JSONValue], json: UpstreamJSON) -> Int? {
        let meta = UpstreamObject(json.members(root["meta"], "meta") ?? [:])
        let total = json.integer(meta["total"], "meta.total")
        if meta["total"] == nil { json.drift("meta.total", nil) }
        return total.map { max(0, $0) }
    }

    /// The offset a cursor position holds; nil means the start. Positions are sealed by the server, so
    /// anything else is a cursor from another gateway version: refused like any bad cursor.
    public static func offset(_ position: JSONValue?) throws -> Int {
        switch position {
        case nil, .null?: return 0
        case .int(let value)? where value >= 0 && value <= Int64(Int32.max): return Int(value)
        default: throw GatewayError.invalid("cursor", "holds a position this connection cannot continue from")
        }
    }
}
