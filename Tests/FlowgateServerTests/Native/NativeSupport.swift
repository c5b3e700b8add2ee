import FlowgateCore
import FlowgateEmulators
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationEssentialsCompat
import Testing

extension TestClientProtocol {
    /// A native call on `connection` (`path` relative to its base URL, query included) as the holder of
    /// `key` sends it.
    func native(
        _ connection: String, _ path: String, _ method: HTTPRequest.Method = .get, body: String? = nil, key: String = TestKeys.acmeNative,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = HTTPFields.bearer(key)
        if body != nil { headers[.contentType] = "application/json" }
        headers.append(contentsOf: extra)
        return try await execute(
            uri: "/v1/connections/\(connection)\("/native")\(path)", method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }
}

/// Reading native answers and the gateway's own errors in a provider's envelope.
enum Native {
    static let route = "/v1/connections/{name}/native/{path}"
    static let flowgateError = HTTPField.Name("X-Flowgate-Error")!

    static func json(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any], sourceLocation: sourceLocation)
    }

    static func jsonArray(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]], sourceLocation: sourceLocation)
    }

    /// An error the gateway raised: `status`, the canonical code in `X-Flowgate-Error`, the provider's
    /// envelope as the spec documents it; returns the provider's error code and message.
    @discardableResult
    static func gatewayError(
        _ response: TestResponse, status: HTTPResponse.Status, code: String, provider: ProviderKind, method: String = "get",
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> (code: String, message: String) {
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(response.headers[flowgateError] == code, sourceLocation: sourceLocation)
        #expect(response.headers[.init("X-Request-Id")!] != nil, sourceLocation: sourceLocation)
        OpenAPIValidator.shared.check(response, path: route, method: method, sourceLocation: sourceLocation)
        let document = try json(response, sourceLocation: sourceLocation)
        switch provider {
        case .cloudflare:
            #expect(document["success"] as? Bool == false && document["result"] is NSNull, sourceLocation: sourceLocation)
            let first = try #require((document["errors"] as? [[String: Any]])?.first, sourceLocation: sourceLocation)
            return (String(try #require(first["code"] as? Int, sourceLocation: sourceLocation)), first["message"] as? String ?? "")
        case .bitrix24, .geotareas:
            #expect(document["success"] as? Bool == false, sourceLocation: sourceLocation)
            #expect((document["data"] is NSNull) == (provider == .geotareas), sourceLocation: sourceLocation)
            let error = try #require(document["error"] as? [String: Any], sourceLocation: sourceLocation)
            return (error["code"] as? String ?? "", error["message"] as? String ?? "")
        case .workingflow:
            return (document["code"] as? String ?? "", document["error"] as? String ?? "")
        }
    }

    /// No request carried the gateway key, and every one carried `credential` in `header`.
    static func checkCredentials(
        _ requests: [RecordedRequest], header: HTTPField.Name, credential: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(!requests.isEmpty, sourceLocation: sourceLocation)
        for request in requests {
            #expect(request.headers[header] == credential, sourceLocation: sourceLocation)
            for field in request.headers {
                #expect(
                    !field.value.contains(TestKeys.acmeNative), "the gateway key reached the upstream in \(field.name)",
                    sourceLocation: sourceLocation)
            }
        }
    }
}
