import FlowgateEmulators
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// A Cloudflare caller holding the demo token.
struct CloudflareSession {
    static let token = "cf_demo_token_0000000000000000"
    static let base = "/client/v4/accounts/demo0account/workflows"
    static let orders = "\(base)/order-fulfillment/instances"

    let client: any TestClientProtocol
    var headers: HTTPFields = [.authorization: "Bearer \(CloudflareSession.token)"]

    func get(_ uri: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: headers)
    }

    func send(_ uri: String, _ method: HTTPRequest.Method, _ body: String) async throws -> TestResponse {
        var headers = self.headers
        headers[.contentType] = "application/json"
        return try await client.execute(uri: uri, method: method, headers: headers, body: ByteBuffer(string: body))
    }

    /// `result` of a successful answer, checking the success envelope on the way.
    func result(_ uri: String) async throws -> JSONBody {
        try CloudflareSuccess(try await get(uri)).result()
    }

    /// `result` items and `result_info` of a list.
    func list(_ uri: String) async throws -> (items: [JSONBody], info: JSONBody) {
        let body = try CloudflareSuccess(try await get(uri))
        return (try body.body.array("result"), try body.body.object("result_info"))
    }
}

/// A v4 success envelope: `success: true`, empty `errors` and `messages`.
struct CloudflareSuccess {
    let body: JSONBody

    init(_ response: TestResponse) throws {
        body = try JSONBody(response)
        guard response.status == .ok, try body.bool("success"), (body["errors"] as? [Any])?.isEmpty == true,
            (body["messages"] as? [Any])?.isEmpty == true
        else { throw MissingValue(description: "not a success envelope: \(response.status) \(String(buffer: response.body))") }
    }

    func result() throws -> JSONBody { try body.object("result") }
}

/// A v4 error envelope's HTTP status and its one `{code, message}`; decoding fails if the envelope is wrong.
struct CloudflareFailure: Equatable, CustomStringConvertible {
    var status: Int
    var code: Int
    var message: String

    init(_ status: Int, _ code: Int, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    init(_ response: TestResponse) throws {
        let body = try JSONBody(response)
        guard try body.bool("success") == false, body.isNull("result"), (body["messages"] as? [Any])?.isEmpty == true,
            body.keys == ["success", "errors", "messages", "result"]
        else { throw MissingValue(description: "not an error envelope: \(String(buffer: response.body))") }
        let errors = try body.array("errors")
        guard errors.count == 1 else { throw MissingValue(description: "expected one error: \(String(buffer: response.body))") }
        status = response.status.code
        code = try errors[0].int("code")
        message = try errors[0].string("message")
    }

    var description: String { "\(status) \(code) \(message)" }
}
