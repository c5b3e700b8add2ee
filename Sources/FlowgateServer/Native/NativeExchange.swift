import FlowgateProviders

/// One native call as the upstream path carries it: the call (route `native` for metrics and logs, the
/// checked path, the forwarded and injected headers, its bucket, whether it is a read), the query as the
/// client wrote it, and the body.
struct NativeExchange: Sendable {
    var call: UpstreamCall
    var rawQuery: String?
    var body: NativeRequestBody

    /// The metrics `operation` label of every native call.
    static let operation = "native"
}
