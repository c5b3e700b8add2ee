import FlowgateCore
import FlowgateProviders
import Foundation
import Synchronization
import Testing

/// `ProviderProfile.capabilities` is the one statement of what a provider serves. These tie each
/// adapter to it: every operation outside it answers `501 NOT_SUPPORTED` from the protocol's default
/// without a single upstream call, and every operation inside it is implemented (it reaches the
/// upstream, or refuses its input with its own non-501 error).
@Suite struct AdapterCapabilityTests {
    /// Records each call and answers none of them: reaching it is what proves an operation implemented.
    final class UnreachableUpstream: UpstreamTransport {
        let calls = Mutex(0)
        func send(_ call: UpstreamCall) async throws -> UpstreamReply {
            calls.withLock { $0 += 1 }
            throw GatewayError(.upstreamUnavailable, "test upstream")
        }
    }

    static func adapter(_ kind: ProviderKind, _ transport: any UpstreamTransport) -> any ProviderAdapter {
        // A table with every route the adapter names, each path holding its placeholders.
        var routes: [String: ProviderRoutes.Route] = [:]
        for (name, placeholders) in ProviderAdapters.requiredRoutes(kind) {
            let path = "/\(name)" + placeholders.sorted().map { "/{\($0)}" }.joined()
            routes[name] = ProviderRoutes.Route(method: "GET", path: path, bucket: "default")
        }
        let credentials = ["api_key", "api_token", "email", "password", "user_token"].reduce(into: [String: Secret]()) {
            $0[$1] = Secret("test-\($1)")
        }
        let connection = ProviderConnection(
            name: "c", kind: kind, credentials: credentials, tenantHost: "t.example", accountID: "acct",
            routes: ProviderRoutes(provider: kind, routes: routes, buckets: ["default": BucketSpec(.rate(perSecond: 1, burst: 1))])
        )
        return ProviderAdapters.make(connection, transport: transport)
    }

    /// Asks the adapter for `operation` with valid-looking input; the error it throws, if any.
    static func ask(_ adapter: any ProviderAdapter, _ operation: CanonicalOperation) async -> GatewayError? {
        do {
            switch operation {
            case .listDefinitions: _ = try await adapter.listDefinitions(includeRaw: false)
            case .listInstances:
                _ = try await adapter.listInstances(InstancePageRequest(filter: InstanceFilter(), limit: 10, position: nil, includeRaw: false))
            case .getInstance: _ = try await adapter.getInstance("wf1:42", includeRaw: false)
            case .startInstance:
                _ = try await adapter.startInstance(StartCommand(definition: "17", input: [:], entity: .init(type: "deal", id: "5"), instanceID: nil))
            case .cancelInstance: _ = try await adapter.cancelInstance("wf1:42", CancelCommand(reason: nil, force: false))
            case .pauseInstance: _ = try await adapter.changeState("wf1:42", to: .pause)
            case .resumeInstance: _ = try await adapter.changeState("wf1:42", to: .resume)
            case .restartInstance: _ = try await adapter.changeState("wf1:42", to: .restart)
            case .sendEvent: try await adapter.sendEvent("wf1:42", type: "approved", payload: .null)
            case .getTimeline: _ = try await adapter.timeline("wf1:42")
            case .getData: _ = try await adapter.data("wf1:42")
            case .downloadFile: _ = try await adapter.fileCall("wf1:42", name: "a.pdf")
            }
            return nil
        } catch let error as GatewayError {
            return error
        } catch {
            return GatewayError(.internalError, "\(error)")
        }
    }

    @Test(arguments: ProviderKind.allCases)
    func anAdapterImplementsExactlyItsProvidersCapabilities(_ kind: ProviderKind) async {
        let capabilities = ProviderProfile.of(kind).capabilities
        for operation in CanonicalOperation.allCases {
            let upstream = UnreachableUpstream()
            let error = await Self.ask(Self.adapter(kind, upstream), operation)
            let reached = upstream.calls.withLock { $0 } > 0
            if capabilities.contains(operation) {
                #expect(error?.code != .notSupported, "\(kind) declares \(operation) but its adapter does not implement it")
                #expect(reached || error != nil || operation == .downloadFile, "\(kind) \(operation) neither called upstream nor answered")
            } else {
                #expect(error?.code == .notSupported, "\(kind) implements \(operation) but does not declare it")
                #expect(!reached, "\(kind) \(operation) must answer 501 without calling upstream")
            }
        }
    }

    @Test(arguments: ProviderKind.allCases)
    func theGateAnswers501NamingTheProviderForWhatItLacks(_ kind: ProviderKind) throws {
        let profile = ProviderProfile.of(kind)
        for operation in CanonicalOperation.allCases {
            if profile.capabilities.contains(operation) {
                try profile.check(operation, connection: "c")
            } else {
                let error = #expect(throws: GatewayError.self) { try profile.check(operation, connection: "c") }
                #expect(error?.code == .notSupported)
                #expect(error?.message == "\(kind.rawValue) does not support \(operation.rawValue)")
            }
        }
    }
}
