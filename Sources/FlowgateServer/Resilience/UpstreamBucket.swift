import FlowgateProviders
import Foundation

/// A bucket's shape as the limiter runs it: a token bucket's size, or a window with the gateway's
/// margin added.
enum BucketShape: Sendable, Hashable {
    case rate(TokenBucket.Size)
    case window(WindowBucket.Size)

    init(_ shape: BucketSpec.Shape, margin: TimeInterval) {
        switch shape {
        case .rate(let perSecond, let burst): self = .rate(TokenBucket.Size(ratePerSecond: perSecond, burst: burst))
        case .window(let limit, let seconds): self = .window(WindowBucket.Size(limit: limit, window: seconds, margin: margin))
        }
    }

    /// Calls the bucket holds at once: a window's limit, a token bucket's burst.
    var limit: Int {
        switch self {
        case .rate(let size): size.burst
        case .window(let size): size.limit
        }
    }

    /// One replica's part of the budget while it cannot coordinate with the others (cluster mode with
    /// the database lost): rate, burst or window limit divided by the replicas last seen alive.
    func share(of replicas: Int) -> BucketShape {
        guard replicas > 1 else { return self }
        switch self {
        case .rate(let size):
            return .rate(TokenBucket.Size(ratePerSecond: size.ratePerSecond / Double(replicas), burst: max(1, size.burst / replicas)))
        case .window(var size):
            size.limit = max(1, size.limit / replicas)
            return .window(size)
        }
    }
}

/// One bucket's state, whichever its shape: the operations the limiter needs of either.
enum UpstreamBucket: Sendable {
    case rate(TokenBucket)
    case window(WindowBucket)

    /// A fresh bucket: full, nothing reserved.
    init(_ shape: BucketShape, now: Date) {
        switch shape {
        case .rate(let size): self = .rate(TokenBucket(size: size, now: now))
        case .window(let size): self = .window(WindowBucket(size: size))
        }
    }

    /// The bucket as stored elsewhere (the shared store's row): a token bucket's theoretical arrival
    /// time, or a window's admission instants (Unix seconds, ascending).
    mutating func restore(tat: TimeInterval, slots: [TimeInterval]) {
        switch self {
        case .rate(let bucket): self = .rate(TokenBucket(size: bucket.size, now: Date(timeIntervalSince1970: tat)))
        case .window(let bucket):
            var restored = WindowBucket(size: bucket.size)
            for slot in slots.suffix(bucket.size.limit) { restored.take(at: Date(timeIntervalSince1970: slot)) }
            self = .window(restored)
        }
    }

    var shape: BucketShape {
        switch self {
        case .rate(let bucket): .rate(bucket.size)
        case .window(let bucket): .window(bucket.size)
        }
    }

    func nextSlot(now: Date) -> Date {
        switch self {
        case .rate(let bucket): bucket.nextSlot(now: now)
        case .window(let bucket): bucket.nextSlot(now: now)
        }
    }

    mutating func take(at instant: Date) {
        switch self {
        case .rate(var bucket):
            bucket.take(at: instant)
            self = .rate(bucket)
        case .window(var bucket):
            bucket.take(at: instant)
            self = .window(bucket)
        }
    }

    /// Calls admitted so far (a window's count; a token bucket keeps none).
    var admissions: Int {
        switch self {
        case .rate: 0
        case .window(let bucket): bucket.admissions
        }
    }

    func used(now: Date) -> Int {
        switch self {
        case .rate(let bucket): bucket.used(now: now)
        case .window(let bucket): bucket.used(now: now)
        }
    }

    /// The upstream said stop: nothing before `until`, then the bucket's own pace (never a burst).
    mutating func block(until: Date, now: Date) {
        switch self {
        case .rate(var bucket):
            bucket.block(until: until)
            self = .rate(bucket)
        case .window(var bucket):
            bucket.block(until: until, now: now)
            self = .window(bucket)
        }
    }

    /// The upstream reported `remaining` calls before `reset`, after a call sent at `sentAt` (admitted as
    /// number `admission`, see ``admissions``). A window believes it when it says less than the window
    /// thinks; a token bucket, which models no window, only hears a spent budget (nothing remaining), as
    /// a block until the reset.
    mutating func reconcile(remaining: Int, before reset: Date, sentAt: Date, admission: Int, now: Date) {
        switch self {
        case .rate:
            if remaining <= 0 { block(until: reset, now: now) }
        case .window(var bucket):
            bucket.limit(remaining: remaining, before: reset, sentAt: sentAt, admittedAfter: bucket.admissions - admission)
            self = .window(bucket)
        }
    }

    /// A call left later than its slot: a window records when it really left (a token bucket keeps no
    /// per-call record; its pace already spaces calls).
    mutating func restamp(from slot: Date, to actual: Date) {
        guard case .window(var bucket) = self else { return }
        bucket.restamp(from: slot, to: actual)
        self = .window(bucket)
    }

    func isIdle(now: Date) -> Bool {
        switch self {
        case .rate(let bucket): bucket.isIdle(now: now)
        case .window(let bucket): bucket.isIdle(now: now)
        }
    }

    /// Reserves one slot in every bucket of a call, atomically: the call goes at the latest of their
    /// next slots and is recorded in each at that instant, so no bucket's window can be exceeded by a
    /// call another bucket held back. Refused (nothing taken anywhere) when that instant is more than
    /// `maxWait` away. `binding` is the bucket whose slot decided.
    static func reserve(
        _ buckets: inout [UpstreamBucket], now: Date, maxWait: TimeInterval
    ) -> (decision: BucketDecision, slot: Date, binding: Int) {
        var slot = now
        var binding = 0
        for (index, bucket) in buckets.enumerated() {
            let next = bucket.nextSlot(now: now)
            if next > slot {
                slot = next
                binding = index
            }
        }
        let wait = slot.timeIntervalSince(now)
        guard wait <= maxWait else { return (.reject(retryAfter: wait), slot, binding) }
        for index in buckets.indices { buckets[index].take(at: slot) }
        return (.admit(wait: wait), slot, binding)
    }
}
