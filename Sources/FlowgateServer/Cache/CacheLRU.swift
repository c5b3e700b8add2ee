/// Least-recently-used order with a byte budget, as a pure structure: a doubly linked list threaded
/// through a dictionary, so touch, insert and evict are O(1).
struct CacheLRU: Sendable {
    private struct Node: Sendable {
        var bytes: Int
        var newer: String?
        var older: String?
    }

    let maxBytes: Int
    private var nodes: [String: Node] = [:]
    private var newest: String?
    private var oldest: String?
    private(set) var bytes = 0

    init(maxBytes: Int) {
        self.maxBytes = maxBytes
    }

    var count: Int { nodes.count }

    func contains(_ key: String) -> Bool { nodes[key] != nil }

    /// Adds or replaces `key` as the newest; returns the keys evicted to stay within the budget
    /// (never the new key itself unless it alone is over the budget).
    mutating func insert(_ key: String, bytes size: Int) -> [String] {
        remove(key)
        nodes[key] = Node(bytes: size, newer: nil, older: newest)
        if let newest { nodes[newest]?.newer = key }
        newest = key
        if oldest == nil { oldest = key }
        bytes += size
        var evicted: [String] = []
        while bytes > maxBytes, let victim = oldest {
            remove(victim)
            evicted.append(victim)
        }
        return evicted
    }

    /// Marks `key` as just used.
    mutating func touch(_ key: String) {
        guard let node = nodes[key], newest != key else { return }
        _ = insert(key, bytes: node.bytes)
    }

    mutating func remove(_ key: String) {
        guard let node = nodes.removeValue(forKey: key) else { return }
        if let newer = node.newer { nodes[newer]?.older = node.older } else { newest = node.older }
        if let older = node.older { nodes[older]?.newer = node.newer } else { oldest = node.newer }
        bytes -= node.bytes
    }
}
