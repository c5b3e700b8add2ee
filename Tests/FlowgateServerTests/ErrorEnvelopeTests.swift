import FlowgateCore
import FlowgateServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Bad input of every kind gets the canonical envelope with the right code, never a crash or a 500.
struct ErrorEnvelopeTests {
    @Test func unknownRouteIs404() async throws {
        try await TestGateway.app().test(.router) { client in
            for path in ["/nope", "/v1/instance", "/v1/instances/geo:1/unknown"] {
                try await client.execute(uri: path, method: .get, headers: .bearer(TestKeys.acmeReadWrite)) { response in
                    #expect(response.status == .notFound, "\(path)")
                    let errorBody4 = try ErrorBody(response)
                    #expect(errorBody4.code == "NOT_FOUND")
                }
            }
        }
    }

    @Test func wrongMethodIs405WithAllow() async throws {
        try await TestGateway.app().test(.router) { client in
            try await client.execute(uri: "/v1/instances", method: .delete, headers: .bearer(TestKeys.acmeReadWrite)) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, POST")
                let errorBody5 = try ErrorBody(response)
                #expect(errorBody5.code == "METHOD_NOT_ALLOWED")
            }
            try await client.execute(uri: "/v1/instances/geo:1/cancel", method: .get) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
            }
        }
    }

    @Test func unknownQueryParameterIs400NamingIt() async throws {
        try await TestGateway.app().test(.router) { client in
            try await client.execute(uri: "/v1/instances?stauts=running&limit=5", method: .get, headers: .bearer(TestKeys.acmeReadWrite)) {
                response in
                #expect(response.status == .badRequest)
                let error = try ErrorBody(response)
                #expect(error.code == "INVALID_REQUEST")
                #expect(error.detailFields == ["stauts"])
            }
            try await client.execute(uri: "/v1/instances?limit=5&limit=6", method: .get, headers: .bearer(TestKeys.acmeReadWrite)) {
                let errorBody6 = try ErrorBody($0)
                #expect(errorBody6.detailFields == ["limit"])
            }
        }
    }

    @Test(arguments: [
        ("/v1/instances?limit=0", "limit"), ("/v1/instances?limit=101", "limit"), ("/v1/instances?status=running,sleeping", "status"),
        ("/v1/instances?started_after=yesterday", "started_after"), ("/v1/instances?definition=nocolon", "definition"),
        ("/v1/instances?strict=maybe", "strict"), ("/v1/instances?include=everything", "include"),
        ("/v1/instances?started_after=2026-02-01T00:00:00Z&started_before=2026-01-01T00:00:00Z", "started_after"),
        // Foundation would read these as March 2nd and the next day: a mistyped filter must not shift the list.
        ("/v1/instances?started_after=2026-02-30T00:00:00Z", "started_after"),
        ("/v1/instances?started_before=2026-03-15T24:00:00Z", "started_before"),
        ("/v1/instances/nocolon", "id"), ("/v1/instances/geo%3A1%0D%0AX-Evil:%201", "id"), ("/v1/instances/geo:%ZZ", "id"),
        ("/v1/definitions?strict=2", "strict"), ("/v1/instances?cursor=a%E2%80%A8b", "cursor"), ("/v1/instances?connection=", "connection"),
    ])
    func badQueryOrIDIs400(uri: String, field: String) async throws {
        try await TestGateway.app().test(.router) { client in
            try await client.execute(uri: uri, method: .get, headers: .bearer(TestKeys.acmeReadWrite)) { response in
                #expect(response.status == .badRequest)
                let error = try ErrorBody(response)
                #expect(error.code == "INVALID_REQUEST")
                #expect(error.detailFields == [field])
            }
        }
    }

    @Test func overlongIDIs400AndOverlongURIIs414() async throws {
        try await TestGateway.app().test(.router) { client in
            let justOver = "geo:" + String(repeating: "7", count: CanonicalID.maxLength)
            try await client.execute(uri: "/v1/instances/\(justOver)", method: .get, headers: .bearer(TestKeys.acmeReadWrite)) { response in
                #expect(response.status == .badRequest)
                let errorBody7 = try ErrorBody(response)
                #expect(errorBody7.detailFields == ["id"])
            }
            let huge = "geo:" + String(repeating: "7", count: 10_000)
            try await client.execute(uri: "/v1/instances/\(huge)", method: .get, headers: .bearer(TestKeys.acmeReadWrite)) { response in
                #expect(response.status == .uriTooLong)
                let errorBody8 = try ErrorBody(response)
                #expect(errorBody8.code == "URI_TOO_LONG")
            }
        }
    }

    @Test(arguments: [
        (#"{"definition": "geo:1""#, ["body"]),
        (#"[1, 2]"#, ["body"]),
        (#"{}"#, ["definition"]),
        (#"{"definition": 7, "input": [], "extra": true}"#, ["definition", "extra", "input"]),
        (#"{"definition": "geo:1", "entity": {"type": "deal"}}"#, ["entity.id"]),
        (#"{"definition": "geo:1", "instance_id": "has space"}"#, ["instance_id"]),
    ])
    func badStartBodyIs400ListingEveryField(body: String, fields: [String]) async throws {
        try await TestGateway.app().test(.router) { client in
            try await client.execute(uri: "/v1/instances", method: .post, headers: .bearer(TestKeys.acmeReadWrite), body: .init(string: body)) {
                response in
                #expect(response.status == .badRequest)
                let error = try ErrorBody(response)
                #expect(error.code == "INVALID_REQUEST")
                #expect(error.detailFields.compactMap { $0 }.sorted() == fields)
            }
        }
    }

    @Test func badCancelBodyIs400() async throws {
        try await TestGateway.app().test(.router) { client in
            let reason = String(repeating: "r", count: 501)
            try await client.execute(
                uri: "/v1/instances/geo:1/cancel", method: .post, headers: .bearer(TestKeys.acmeReadWrite),
                body: .init(string: #"{"reason": "\#(reason)", "force": "yes"}"#)
            ) { response in
                #expect(response.status == .badRequest)
                let errorBody9 = try ErrorBody(response)
                #expect(errorBody9.detailFields == ["reason", "force"])
            }
        }
    }

    @Test func declaredOversizeBodyIs413() async throws {
        try await TestGateway.app(maxBodyBytes: 64).test(.router) { client in
            let body = #"{"definition": "geo:1", "input": {"pad": "\#(String(repeating: "x", count: 100))"}}"#
            try await client.execute(uri: "/v1/instances", method: .post, headers: .bearer(TestKeys.acmeReadWrite), body: .init(string: body)) {
                response in
                #expect(response.status == .contentTooLarge)
                let errorBody10 = try ErrorBody(response)
                #expect(errorBody10.code == "PAYLOAD_TOO_LARGE")
            }
        }
    }

    @Test func unknownOrForeignConnectionIs404() async throws {
        try await TestGateway.app().test(.router) { client in
            // gx is globex's connection: to acme it does not exist.
            for uri in ["/v1/instances/gx:1", "/v1/instances/zz:1", "/v1/instances?connection=gx", "/v1/definitions?connection=gx"] {
                try await client.execute(uri: uri, method: .get, headers: .bearer(TestKeys.acmeReadWrite)) { response in
                    #expect(response.status == .notFound, "\(uri)")
                    let error = try ErrorBody(response)
                    #expect(error.code == "NOT_FOUND")
                    #expect(!error.message.contains("globex"))
                }
            }
        }
    }

    /// Operations a provider lacks answer 501 naming it, before any upstream call (the test config's
    /// upstreams are unreachable, so anything else would be a 503).
    @Test(arguments: [
        ("/v1/instances/wf:1/cancel", HTTPRequest.Method.post, "workingflow", "cancel_instance"),
        ("/v1/instances/wf:1/pause", .post, "workingflow", "pause_instance"),
        ("/v1/instances/geo:1/resume", .post, "geotareas", "resume_instance"),
        ("/v1/instances/b24:1/restart", .post, "bitrix24", "restart_instance"),
        ("/v1/instances/geo:1/events/approved", .post, "geotareas", "send_event"),
        ("/v1/instances/b24:1/timeline", .get, "bitrix24", "get_timeline"),
        ("/v1/instances/wf:1/timeline", .get, "workingflow", "get_timeline"),
        ("/v1/instances/b24:1/data", .get, "bitrix24", "get_data"),
        ("/v1/instances/geo:1/files/a.pdf", .get, "geotareas", "download_file"),
        ("/v1/instances/cf:f:1/files/a.pdf", .get, "cloudflare", "download_file"),
        ("/v1/instances?connection=wf", .get, "workingflow", "list_instances"),
    ])
    func operationsAProviderLacksAnswer501NamingIt(uri: String, method: HTTPRequest.Method, provider: String, operation: String) async throws {
        try await TestGateway.app().test(.router) { client in
            try await client.execute(uri: uri, method: method, headers: .bearer(TestKeys.acmeReadWrite)) { response in
                #expect(response.status == .notImplemented)
                let error = try ErrorBody(response)
                #expect(error.code == "NOT_SUPPORTED")
                #expect(error.object["provider"] as? String == provider)
                #expect(error.message == "\(provider) does not support \(operation)")
            }
        }
    }

    @Test func idempotencyKeyIsValidated() async throws {
        try await TestGateway.app().test(.router) { client in
            var headers = HTTPFields.bearer(TestKeys.acmeReadWrite)
            headers[.init("Idempotency-Key")!] = String(repeating: "k", count: 300)
            try await client.execute(uri: "/v1/instances", method: .post, headers: headers, body: .init(string: #"{"definition":"geo:1"}"#)) {
                let errorBody13 = try ErrorBody($0)
                #expect(errorBody13.detailFields == ["Idempotency-Key"])
            }
        }
    }
}
