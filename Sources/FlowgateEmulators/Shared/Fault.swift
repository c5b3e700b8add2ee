/// One misbehaviour an emulator can be told to show, switchable at runtime (tests, benchmarks, demo).
public struct Fault: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// Wait this long before answering.
        case latency(Duration)
        /// Answer this status and error code, in the emulator's own error envelope, with
        /// `Retry-After: retryAfter` when given (a forced 429 the way the upstream would send it).
        case error(status: Int, code: String, retryAfter: Int? = nil)
        /// Abort the connection (TCP RST) without an answer.
        case reset
        /// Send the normal answer's head at once, then its body in `chunkBytes` pieces every `interval`.
        case slowBody(chunkBytes: Int, interval: Duration)
        /// Answer 200 with a JSON body of about `bytes` bytes.
        case hugeBody(bytes: Int)
    }

    public var kind: Kind
    /// Only requests whose path starts with this; nil for every request.
    public var pathPrefix: String?
    /// How many requests it still applies to; nil for every request until cleared.
    public var remaining: Int?

    public init(_ kind: Kind, pathPrefix: String? = nil, count: Int? = nil) {
        self.kind = kind
        self.pathPrefix = pathPrefix
        self.remaining = count
    }
}
