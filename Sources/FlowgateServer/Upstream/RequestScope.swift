import Logging

/// What the pipeline knows about the request being served, for code that runs below the handlers
/// (adapters, transports) and must not take it as a parameter through every provider's API.
enum RequestScope {
    /// The request's logger, carrying its request id.
    @TaskLocal static var logger: Logger?
}
