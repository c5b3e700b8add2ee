import Logging

/// What the pipeline knows about the request being served, for code that runs below the handlers
/// (adapters, transports) and must not take it as a parameter through every provider's API.
struct RequestScope: Sendable {
    /// The request's logger, carrying its request id.
    var logger: Logger
    /// When the whole canonical request must have its answer.
    var deadline: RequestDeadline

    /// The request this task serves; nil outside one (start-up, background refreshes run inside one).
    @TaskLocal static var current: RequestScope?
}

/// The one deadline of a canonical request (`server.request_timeout_s` from when its handler began):
/// logins, scans, limiter waits, retries and fan-out branches all spend from it.
struct RequestDeadline: Sendable, Hashable {
    var instant: ContinuousClock.Instant
    /// The configured budget, for the words of a `504`.
    var timeout: Duration

    init(startingAt start: ContinuousClock.Instant, timeout: Duration) {
        self.instant = start + timeout
        self.timeout = timeout
    }
}
