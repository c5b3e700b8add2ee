import Logging

/// What AsyncHTTPClient may write to the gateway's log: never below `debug`, and only metadata that
/// names connections and errors.
///
/// AsyncHTTPClient 1.37.0 logs each response head and part at `trace`, the part printed with the first
/// and last 32 bytes of each body chunk (`ahc-http-part`) — a Geotareas login answer's JWT, tenant
/// data. Its `debug` lines are lifecycle events (queued, scheduled, connection opened or closed). So
/// the client gets this handler over the logger it would have used: `trace` never passes whatever the
/// configured level, and of its metadata only the allow-listed keys do, so that a later version adding
/// a payload to some other key or level still writes nothing of it. The wrapped handler's own metadata
/// (the request id) still goes with every line.
struct UpstreamClientLogHandler: LogHandler {
    /// The lowest level the client's lines are written at.
    static let floor = Logger.Level.debug
    /// Metadata keys of AsyncHTTPClient's that say which request, connection or failure, nothing more.
    static let allowedKeys: Set<String> = ["ahc-request-id", "ahc-connection-id", "ahc-http-version", "ahc-error"]

    private var wrapped: any LogHandler
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider? {
        get { nil }
        set {}
    }

    /// The logger to hand AsyncHTTPClient in place of `logger`: its own label, `logger`'s handler
    /// underneath, capped.
    static func logger(over logger: Logger) -> Logger {
        Logger(label: "flowgate.upstream-client", factory: { _ in UpstreamClientLogHandler(wrapping: logger.handler) })
    }

    init(wrapping wrapped: any LogHandler) {
        self.wrapped = wrapped
    }

    var logLevel: Logger.Level {
        get { max(wrapped.logLevel, Self.floor) }
        set { wrapped.logLevel = max(newValue, Self.floor) }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        guard event.level >= Self.floor else { return }
        var event = event
        var kept = metadata.filter { Self.allowedKeys.contains($0.key) }
        for (key, value) in event.metadata ?? [:] where Self.allowedKeys.contains(key) { kept[key] = value }
        event.metadata = kept.isEmpty ? nil : kept
        wrapped.log(event: event)
    }
}
