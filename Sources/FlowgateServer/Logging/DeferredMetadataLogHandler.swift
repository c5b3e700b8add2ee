import Logging

/// A log handler that keeps its metadata as a dictionary and leaves formatting to the handler it wraps,
/// at the moment a line is written.
///
/// `StreamLogHandler` formats its whole metadata into a string every time one key is set. The gateway
/// sets keys on every request (request id, tenant, key id) and writes few lines at `warning` or above:
/// formatting on every set cost more than the rest of a cache hit's bookkeeping. Wrapped, setting a key
/// is a dictionary insert, and each written line is formatted once, with the same text as before.
///
/// ```swift
/// LoggingSystem.bootstrap { label in DeferredMetadataLogHandler(StreamLogHandler.standardOutput(label: label)) }
/// ```
public struct DeferredMetadataLogHandler: LogHandler {
    private var wrapped: any LogHandler
    public var metadata: Logger.Metadata
    /// Applied here, not by the wrapped handler, so that its values rank as before: the handler's own
    /// metadata, then the provider's, then the line's.
    public var metadataProvider: Logger.MetadataProvider?

    /// Takes over `wrapped`'s metadata and provider; its level stays where it is set.
    public init(_ wrapped: any LogHandler) {
        self.metadata = wrapped.metadata
        self.metadataProvider = wrapped.metadataProvider
        var wrapped = wrapped
        wrapped.metadata = [:]
        // Only when set: handlers without provider support warn when one is assigned, even nil.
        if wrapped.metadataProvider != nil { wrapped.metadataProvider = nil }
        self.wrapped = wrapped
    }

    public var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var event = event
        var merged = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty {
            merged.merge(provided) { _, provided in provided }
        }
        if let explicit = event.metadata, !explicit.isEmpty {
            merged.merge(explicit) { _, explicit in explicit }
        }
        event.metadata = merged.isEmpty ? nil : merged
        wrapped.log(event: event)
    }
}
