import Synchronization

/// The callers of keys verified recently, so that a key seen again skips SHA-256 and the scan of every
/// stored hash: on a cache hit that work was a tenth of the gateway's own cost per request.
///
/// Only keys that matched a stored hash are remembered, and an entry is used only when the presented key
/// is byte for byte the remembered one, compared without early exit. A wrong key can therefore never get
/// in through the cache: it finds nothing, or another key's entry that does not match, and takes the
/// full constant-time path of ``TenantDirectory``. A key answered faster tells its presenter only that
/// it is valid, which the answer says anyway. Bounded: past `capacity` keys the oldest is dropped.
/// Keys are held in memory as presented, as every request's headers are while it runs; a config
/// reload builds a new directory and so a new, empty cache.
final class VerifiedKeyCache: Sendable {
    private struct Entry: Sendable {
        let key: [UInt8]
        let caller: Caller
    }

    private struct State: Sendable {
        /// By the key's hash, which is seeded per process, so callers cannot aim at a slot.
        var entries: [Int: Entry] = [:]
        /// Hashes in insertion order, a ring once full: `next` is the oldest.
        var order: [Int] = []
        var next = 0
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = 1024) {
        precondition(capacity > 0, "a verified-key cache holds at least one key")
        self.capacity = capacity
    }

    /// The caller of `key` if it was verified and is still held, else nil.
    func caller(presenting key: some StringProtocol) -> Caller? {
        Self.withBytes(of: key) { bytes in
            let hash = Self.hash(bytes)
            guard let entry = state.withLock({ $0.entries[hash] }) else { return nil }
            return entry.key.withUnsafeBufferPointer { Self.sameBytes($0, bytes) } ? entry.caller : nil
        }
    }

    /// Remembers a key that matched a stored hash. Never call it with a key that did not.
    func remember(_ key: some StringProtocol, as caller: Caller) {
        let hash = Self.withBytes(of: key) { Self.hash($0) }
        let entry = Entry(key: Array(key.utf8), caller: caller)
        state.withLock { state in
            // A key already held, or another key with the same hash, is replaced in its slot.
            if state.entries.updateValue(entry, forKey: hash) != nil { return }
            if state.order.count < capacity {
                state.order.append(hash)
            } else {
                state.entries[state.order[state.next]] = nil
                state.order[state.next] = hash
                state.next = (state.next + 1) % capacity
            }
        }
    }

    var count: Int { state.withLock { $0.entries.count } }

    /// The key's bytes in place when the string is contiguous UTF-8, as a key from a header is:
    /// walking a substring's UTF-8 view byte by byte cost as much as the hash.
    private static func withBytes<Result>(of key: some StringProtocol, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = key.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(key.utf8).withUnsafeBufferPointer(body)
    }

    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
        return hasher.finalize()
    }

    /// Equal bytes, in time that depends only on the lengths.
    private static func sameBytes(_ stored: UnsafeBufferPointer<UInt8>, _ presented: UnsafeBufferPointer<UInt8>) -> Bool {
        guard stored.count == presented.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<stored.count { difference |= stored[index] ^ presented[index] }
        return difference == 0
    }
}
