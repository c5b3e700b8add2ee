import FlowgateCore

/// The first stage of every upstream call: how long it may take. The earlier of the request's own
/// deadline and the call's bound (`server.upstream_timeout_s`), so one slow call cannot spend a whole
/// request and many calls cannot spend more than it. A call that starts with nothing left is refused
/// here, before it takes a token or troubles the breaker.
struct DeadlineStage: Sendable {
    /// The bound of one call: waiting for its token, every attempt, the backoff between them.
    let callTimeout: Duration
    let clock: any GatewayClock

    /// The budget of a call starting now within `request` (nil: a call outside any request).
    func budget(within request: RequestDeadline?) -> CallBudget {
        let callDeadline = clock.now + callTimeout
        if let request, request.instant < callDeadline {
            return CallBudget(deadline: request.instant, bound: .request(request.timeout))
        }
        return CallBudget(deadline: callDeadline, bound: .call(callTimeout))
    }

    /// Throws the timeout if the budget is already spent.
    func checkRemaining(_ budget: CallBudget) throws(UpstreamClient.Failure) {
        guard clock.now < budget.deadline else { throw .timeout }
    }
}

/// How long one upstream call may take, and which bound decided it.
struct CallBudget: Sendable, Hashable {
    enum Bound: Sendable, Hashable {
        /// The request's deadline comes first (`server.request_timeout_s`).
        case request(Duration)
        /// The call's own bound comes first (`server.upstream_timeout_s`).
        case call(Duration)
    }

    var deadline: ContinuousClock.Instant
    var bound: Bound

    /// What a `504` says about it, naming the upstream.
    func timeoutMessage(_ provider: ProviderKind) -> String {
        switch bound {
        case .request(let timeout):
            "The request's \(Self.words(timeout)) budget ran out before \(provider.rawValue) answered"
        case .call(let timeout):
            "\(provider.rawValue) did not answer within \(Self.words(timeout))"
        }
    }

    private static func words(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 { return "\(seconds) s" }
        return "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000) ms"
    }
}
