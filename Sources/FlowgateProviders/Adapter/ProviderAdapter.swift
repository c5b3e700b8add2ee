import FlowgateCore

/// Translates the canonical operations into one provider's upstream calls, and its answers back.
///
/// One adapter serves one connection; it holds the connection and its transport. An operation the
/// provider lacks keeps the default implementation, which answers `501 NOT_SUPPORTED` naming the
/// provider — never a fake answer. Adapters throw only ``GatewayError``s.
public protocol ProviderAdapter: NativeAuthorizing {
    var connection: ProviderConnection { get }

    func listDefinitions(includeRaw: Bool) async throws -> [Definition]
    func listInstances(_ request: InstancePageRequest) async throws -> InstancePage
    func getInstance(_ native: String, includeRaw: Bool) async throws -> InstanceDetail
    func startInstance(_ command: StartCommand) async throws -> Instance
    func cancelInstance(_ native: String, _ command: CancelCommand) async throws -> Instance
    func changeState(_ native: String, to change: StateChange) async throws -> Instance
    /// Sends an event to a waiting instance; returns once the upstream accepted it.
    func sendEvent(_ native: String, type: String, payload: JSONValue) async throws
    func timeline(_ native: String) async throws -> [TimelineEvent]
    func data(_ native: String) async throws -> InstanceData
    /// The call that downloads a file; the server streams its answer rather than collecting it.
    func fileCall(_ native: String, name: String) async throws -> UpstreamCall
    /// The canonical error for a failed (non-2xx) upstream answer to `call`.
    func failure(_ reply: UpstreamReply, of call: UpstreamCall) -> GatewayError
}

extension ProviderAdapter {
    public func listDefinitions(includeRaw: Bool) async throws -> [Definition] {
        throw connection.notSupported(.listDefinitions)
    }
    public func listInstances(_ request: InstancePageRequest) async throws -> InstancePage {
        throw connection.notSupported(.listInstances)
    }
    public func getInstance(_ native: String, includeRaw: Bool) async throws -> InstanceDetail {
        throw connection.notSupported(.getInstance)
    }
    public func startInstance(_ command: StartCommand) async throws -> Instance {
        throw connection.notSupported(.startInstance)
    }
    public func cancelInstance(_ native: String, _ command: CancelCommand) async throws -> Instance {
        throw connection.notSupported(.cancelInstance)
    }
    public func changeState(_ native: String, to change: StateChange) async throws -> Instance {
        throw connection.notSupported(change.operation)
    }
    public func sendEvent(_ native: String, type: String, payload: JSONValue) async throws {
        throw connection.notSupported(.sendEvent)
    }
    public func timeline(_ native: String) async throws -> [TimelineEvent] {
        throw connection.notSupported(.getTimeline)
    }
    public func data(_ native: String) async throws -> InstanceData {
        throw connection.notSupported(.getData)
    }
    public func fileCall(_ native: String, name: String) async throws -> UpstreamCall {
        throw connection.notSupported(.downloadFile)
    }
}
