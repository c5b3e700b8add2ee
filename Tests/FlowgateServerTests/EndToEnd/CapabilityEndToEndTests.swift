import FlowgateCore
import FlowgateProviders
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Through the real server and the emulators: each provider answers `501 NOT_SUPPORTED`, naming
/// itself, exactly for the canonical operations outside its capabilities — and never for the others.
@Suite struct CapabilityEndToEndTests {
    /// The canonical request for `operation` on connection `connection`.
    static func request(_ operation: CanonicalOperation, _ connection: String) -> (String, HTTPRequest.Method, String?) {
        let id = "\(connection):order-fulfillment:wf-0001"
        return switch operation {
        case .listDefinitions: ("/v1/definitions?connection=\(connection)", .get, nil)
        case .listInstances: ("/v1/instances?connection=\(connection)", .get, nil)
        case .getInstance: ("/v1/instances/\(id)", .get, nil)
        case .startInstance: ("/v1/instances", .post, #"{"definition":"\#(connection):17","entity":{"type":"deal","id":"5"}}"#)
        case .cancelInstance: ("/v1/instances/\(id)/cancel", .post, "{}")
        case .pauseInstance: ("/v1/instances/\(id)/pause", .post, nil)
        case .resumeInstance: ("/v1/instances/\(id)/resume", .post, nil)
        case .restartInstance: ("/v1/instances/\(id)/restart", .post, nil)
        case .sendEvent: ("/v1/instances/\(id)/events/approved", .post, "{}")
        case .getTimeline: ("/v1/instances/\(id)/timeline", .get, nil)
        case .getData: ("/v1/instances/\(id)/data", .get, nil)
        case .downloadFile: ("/v1/instances/\(id)/files/report.pdf", .get, nil)
        }
    }

    @Test(arguments: [("b24", ProviderKind.bitrix24), ("wf", .workingflow), ("geo", .geotareas), ("cf", .cloudflare)])
    func exactlyTheMissingOperationsAre501(_ connection: String, _ kind: ProviderKind) async throws {
        let capabilities = ProviderProfile.of(kind).capabilities
        try await LiveStack.run { _, client in
            for operation in CanonicalOperation.allCases {
                let (uri, method, body) = Self.request(operation, connection)
                try await client.execute(
                    uri: uri, method: method, headers: .bearer(TestKeys.acmeReadWrite), body: body.map { ByteBuffer(string: $0) }
                ) { response in
                    let text = String(buffer: response.body)
                    if capabilities.contains(operation) {
                        #expect(response.status.code != 501, "\(kind) \(operation): \(text)")
                    } else {
                        #expect(response.status.code == 501, "\(kind) \(operation): \(text)")
                        #expect(text.contains(#""code":"NOT_SUPPORTED""#) && text.contains("\(kind.rawValue) does not support \(operation.rawValue)"))
                    }
                }
            }
        }
    }
}
