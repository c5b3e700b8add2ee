import FlowgateEmulators
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// A logged-in Geotareas caller: sends the three headers every protected call needs.
struct GeotareasSession {
    static let tenant = "demo.geotareas.com"
    static let apiKey = "geo_demo_key"
    static let instances = "/apidev/v1/workflow/instances"
    static let example = "591847302948571634"

    let client: any TestClientProtocol
    let token: String

    static func loginRequest(
        _ client: any TestClientProtocol, email: String = "demo@flowgate.local", password: String = "demo-password",
        tenant: String? = GeotareasSession.tenant
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let tenant { headers[.testTenant] = tenant }
        return try await client.execute(
            uri: "/apidev/v1/login", method: .post, headers: headers,
            body: ByteBuffer(string: #"{"email":"\#(email)","password":"\#(password)"}"#)
        )
    }

    static func login(_ client: any TestClientProtocol) async throws -> GeotareasSession {
        let response = try await loginRequest(client)
        guard response.status == .ok else { throw MissingValue(description: "login failed: \(response.status)") }
        let token = try JSONBody(response).object("data").string("authorization")
        return GeotareasSession(client: client, token: token)
    }

    var headers: HTTPFields {
        [.authorization: "Bearer \(token)", .testAPIKey: Self.apiKey, .testTenant: Self.tenant, .contentType: "application/json"]
    }

    func get(_ uri: String, headers: HTTPFields? = nil) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: headers ?? self.headers)
    }

    func post(_ uri: String, _ body: String, headers: HTTPFields? = nil) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: headers ?? self.headers, body: ByteBuffer(string: body))
    }

    /// `data` of a successful answer.
    func data(_ uri: String) async throws -> JSONBody {
        try JSONBody(try await get(uri)).object("data")
    }

    /// `data` of a successful list answer, with its `meta`.
    func list(_ uri: String) async throws -> (items: [JSONBody], meta: JSONBody) {
        let body = try JSONBody(try await get(uri))
        return (try body.array("data"), try body.object("meta"))
    }
}

/// A Geotareas error envelope's status, code and message; decoding fails if the envelope is wrong.
struct GeotareasFailure: Equatable {
    var status: Int
    var code: String
    var message: String

    static func expected(_ status: Int, _ code: String, _ message: String) -> Self {
        Self(status: status, code: code, message: message)
    }

    init(status: Int, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    init(_ response: TestResponse) throws {
        let body = try JSONBody(response)
        guard try body.bool("success") == false, body.isNull("data") else {
            throw MissingValue(description: "not an error envelope: \(String(buffer: response.body))")
        }
        let error = try body.object("error")
        status = response.status.code
        code = try error.string("code")
        message = try error.string("message")
    }
}
