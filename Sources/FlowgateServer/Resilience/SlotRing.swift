import Foundation

/// The instants of a window bucket's most recent admissions, oldest first, in a ring of fixed
/// capacity (the window's limit): memory stays bounded however many calls pass, and the common
/// operations — drop the oldest, add the newest — move nothing.
///
/// Instants stay in ascending order. Admissions arrive in order, so an insertion normally lands at the
/// end; only an upstream's correction (``WindowBucket/limit(remaining:before:sentAt:admittedAfter:)``)
/// places slots out of order, and those are shifted into place.
struct SlotRing: Sendable {
    let capacity: Int
    private var storage: [Date]
    /// Physical index of the oldest instant.
    private var head = 0
    private(set) var count = 0

    init(capacity: Int) {
        precondition(capacity >= 1, "a window holds at least one call")
        self.capacity = capacity
        self.storage = Array(repeating: .distantPast, count: capacity)
    }

    /// A ring holding `instants` (at most `capacity` of them, the latest kept), in order.
    init(capacity: Int, instants: [Date]) {
        self.init(capacity: capacity)
        for instant in instants.sorted().suffix(capacity) {
            storage[count] = instant
            count += 1
        }
    }

    var isFull: Bool { count == capacity }
    var first: Date? { count > 0 ? self[0] : nil }
    var last: Date? { count > 0 ? self[count - 1] : nil }

    /// The `index`-th oldest instant.
    subscript(index: Int) -> Date {
        storage[physical(index)]
    }

    /// Every instant, oldest first.
    var elements: [Date] { (0..<count).map { self[$0] } }

    /// Removes and returns the oldest instant.
    @discardableResult
    mutating func removeFirst() -> Date? {
        guard count > 0 else { return nil }
        let oldest = storage[head]
        head = (head + 1) % capacity
        count -= 1
        return oldest
    }

    /// Adds an instant in order. The ring must not be full (drop the oldest first).
    mutating func insert(_ instant: Date) {
        precondition(count < capacity, "insert into a full ring")
        storage[physical(count)] = instant
        count += 1
        // Shift it left past any later instant (none, for an admission in order).
        var index = count - 1
        while index > 0, self[index - 1] > instant {
            storage[physical(index)] = self[index - 1]
            storage[physical(index - 1)] = instant
            index -= 1
        }
    }

    /// How many instants are earlier than `instant`.
    func count(before instant: Date) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < instant { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// How many instants are later than `instant`.
    func count(after instant: Date) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] <= instant { low = middle + 1 } else { high = middle }
        }
        return count - low
    }

    private func physical(_ index: Int) -> Int {
        (head + index) % capacity
    }
}
