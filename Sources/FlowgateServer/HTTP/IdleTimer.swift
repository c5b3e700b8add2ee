import NIOHTTP1

/// When an idle keep-alive connection is closed (`server.idle_timeout_s`), as a pure state machine for
/// ``CacheHitHandler``, which sees every request of the connection — those it answers and those it
/// hands on. The rules are Hummingbird's own (its `HTTPConnectionStateHandler`): the timer runs from
/// the last read or the last answer; a connection whose request has been read and is still being
/// answered is not idle, however long the answer takes; one still sending a request is.
struct IdleTimer {
    /// What to do when the timer fires.
    enum Action: Equatable {
        case close
        case rearm(ContinuousClock.Instant)
        /// Nothing now: an answer is being made; writing it arms the timer again.
        case wait
    }

    let timeout: Duration?
    private var lastActive: ContinuousClock.Instant = .now
    private var readingRequest = false
    /// A timer is scheduled (at most one at a time).
    private(set) var isArmed = false

    init(timeout: Duration?) {
        self.timeout = timeout
    }

    /// The connection is open: when to check first, if a timer is to be scheduled.
    mutating func activated(now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        lastActive = now
        return arm(at: now)
    }

    mutating func read(_ part: HTTPServerRequestPart, now: ContinuousClock.Instant) {
        lastActive = now
        switch part {
        case .head: readingRequest = true
        case .body: break
        case .end: readingRequest = false
        }
    }

    /// An answer was written in full; `inFlight`: later requests are still being answered.
    mutating func answered(now: ContinuousClock.Instant, inFlight: Bool = false) -> ContinuousClock.Instant? {
        guard !inFlight else { return nil }
        lastActive = now
        return arm(at: now)
    }

    /// The scheduled timer fired. `waitingForAnswer`: a request handed on has not been answered yet.
    mutating func fired(now: ContinuousClock.Instant, waitingForAnswer: Bool) -> Action {
        isArmed = false
        guard let timeout else { return .wait }
        if !readingRequest, waitingForAnswer { return .wait }
        if now >= lastActive + timeout { return .close }
        isArmed = true
        return .rearm(lastActive + timeout)
    }

    private mutating func arm(at now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        guard let timeout, !isArmed else { return nil }
        isArmed = true
        return now + timeout
    }
}
