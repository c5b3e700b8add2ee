import FlowgateEmulators
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Every documented Geotareas error code (docs/upstreams/geotareas.md#errors), forced in the emulator's own envelope,
/// and the canonical answer it becomes; plus answers that break the contract.
@Suite struct GeotareasErrorTests {
    typealias Case = UpstreamErrorCase

    static let cases: [Case] = [
        .init(status: 400, code: "BAD_REQUEST", canonical: "UPSTREAM_ERROR", httpStatus: 502),
        .init(status: 400, code: "VALIDATION_ERROR", canonical: "UNPROCESSABLE", httpStatus: 422),
        .init(status: 401, code: "UNAUTHORIZED", canonical: "UPSTREAM_AUTH_FAILED", httpStatus: 502),
        .init(status: 403, code: "FORBIDDEN", canonical: "FORBIDDEN", httpStatus: 403),
        .init(status: 404, code: "NOT_FOUND", canonical: "NOT_FOUND", httpStatus: 404),
        .init(status: 429, code: "RATE_LIMITED", canonical: "RATE_LIMITED", httpStatus: 429),
        .init(status: 500, code: "INTERNAL_ERROR", canonical: "UPSTREAM_ERROR", httpStatus: 502),
        .init(status: 503, code: "MAINTENANCE", canonical: "UPSTREAM_UNAVAILABLE", httpStatus: 503),
    ]

    /// Forced on a start, whose documented answers include every canonical status these codes map to
    /// (the spec documents no 422 for reads; reported). The login is left alone, so `UNAUTHORIZED` goes
    /// through the one re-login first.
    @Test(arguments: cases)
    func eachDocumentedCodeMapsToItsCanonicalError(_ test: Case) async throws {
        try await LiveStack.run { stack, client in
            stack.emulator("geotareas").faults.add(Fault(.error(status: test.status, code: test.code), pathPrefix: "/apidev/v1/workflow/"))
            let response = try await GeoB24.post(client, "/v1/instances", #"{"definition":"geo:482938470192837470"}"#)
            #expect(Int(response.status.code) == test.httpStatus)
            GeoB24.checkStart(response)
            let error = try ErrorBody(response)
            #expect(error.code == test.canonical)
            #expect(error.object["provider"] as? String == "geotareas")
            let upstream = try #require(error.object["upstream"] as? [String: Any])
            #expect(upstream["code"] as? String == test.code)
            #expect(upstream["status"] as? Int == test.status)
            if test.canonical == "RATE_LIMITED" {
                #expect((error.object["retry_after_s"] as? Int).map { $0 > 0 } == true)
                #expect(response.headers[.retryAfter] != nil)
            }
            for secret in LiveStack.Demo.secrets { #expect(!String(buffer: response.body).contains(secret)) }
        }
    }

    @Test func theUpstreamsOwnRateLimitAnswerCarriesItsRetryAfter() async throws {
        // A reads bucket bigger than Geotareas' window (a misconfiguration) lets the upstream refuse first.
        try await LiveStack.run(config: { $0.configYAML(geoLimits: "{reads: {rate_per_s: 10, burst: 100}}") }) { stack, client in
            var last = try await GeoB24.get(client, "/v1/instances/geo:591847302948571634")
            // Reads are 30 per minute per key upstream.
            for _ in 0..<31 where last.status == .ok {
                last = try await GeoB24.get(client, "/v1/instances/geo:591847302948571634")
            }
            #expect(last.status == .tooManyRequests)
            OpenAPIValidator.shared.check(last, path: "/v1/instances/{id}", method: "get")
            let error = try ErrorBody(last)
            #expect(error.code == "RATE_LIMITED")
            #expect((error.object["retry_after_s"] as? Int).map { (1...60).contains($0) } == true)
            #expect(GeoB24.received(stack.emulator("geotareas"), "/apidev/v1/login").count == 1)
        }
    }

    /// A fake Geotareas that logs in properly, then answers what its contract does not allow.
    @Test(arguments: [
        ("not-json", "/v1/instances/bad:591847302948571634"),
        ("no-success", "/v1/instances/bad:591847302948571634"),
        ("missing-field", "/v1/instances?connection=bad"),
        ("wrong-type", "/v1/instances/bad:591847302948571634/timeline"),
        ("bad-login", "/v1/definitions?connection=bad"),
    ])
    func answersThatBreakTheContractAreUpstreamErrors(mode: String, uri: String) async throws {
        try await GeoB24.withFakeUpstream({ request in
            let path = request.uri.path
            if path.hasSuffix("/apidev/v1/login") {
                return mode == "bad-login"
                    ? GeoB24.reply(.ok, #"{"success":true,"data":{},"meta":{}}"#)
                    : GeoB24.reply(.ok, #"{"success":true,"data":{"authorization":"a.b.c"},"meta":{}}"#)
            }
            switch mode {
            case "not-json": return GeoB24.reply(.ok, "Service temporarily unavailable", contentType: "text/plain")
            case "no-success": return GeoB24.reply(.ok, #"{"success":false,"data":null,"error":{"code":"X","message":"?"}}"#)
            case "missing-field":
                return GeoB24.reply(.ok, #"{"success":true,"data":[{"id":"1","started_at":"2026-03-15T10:00:00"}],"meta":{"total":1}}"#)
            case "wrong-type": return GeoB24.reply(.ok, #"{"success":true,"data":{"event":"started"},"meta":{}}"#)
            default: return GeoB24.reply(.ok, #"{"success":true,"data":{},"meta":{}}"#)
            }
        }) { port in
            let connection = """
                      - name: bad
                        provider: geotareas
                        base_url: http://127.0.0.1:\(port)/\(mode)
                        tenant_host: \(LiveStack.Demo.geotareasTenant)
                        credentials: {api_key: k, email: e@example.com, password: p}
                """
            try await LiveStack.run(config: { $0.configYAML(extraConnections: connection) }) { _, client in
                let response = try await GeoB24.get(client, uri)
                #expect(response.status == .badGateway)
                let template =
                    uri.hasSuffix("/timeline")
                    ? "/v1/instances/{id}/timeline" : uri.hasPrefix("/v1/instances/") ? "/v1/instances/{id}" : String(uri.prefix { $0 != "?" })
                OpenAPIValidator.shared.check(response, path: template, method: "get")
                #expect(try ErrorBody(response).code == "UPSTREAM_ERROR")
            }
        }
    }

    /// A timestamp that is not one is a tolerated field: null in the answer, kept under `include=raw`.
    @Test func aTimeThatIsNotOneIsNullNotAnError() async throws {
        try await GeoB24.withFakeUpstream({ request in
            if request.uri.path.hasSuffix("/apidev/v1/login") {
                return GeoB24.reply(.ok, #"{"success":true,"data":{"authorization":"a.b.c"},"meta":{}}"#)
            }
            return GeoB24.reply(.ok, #"{"success":true,"data":[{"id":"1","status":"RUNNING","started_at":"15/03/2026"}],"meta":{"total":1}}"#)
        }) { port in
            let connection = """
                      - name: bad
                        provider: geotareas
                        base_url: http://127.0.0.1:\(port)
                        tenant_host: \(LiveStack.Demo.geotareasTenant)
                        credentials: {api_key: k, email: e@example.com, password: p}
                """
            try await LiveStack.run(config: { $0.configYAML(extraConnections: connection) }) { _, client in
                let response = try await GeoB24.get(client, "/v1/instances?connection=bad&include=raw")
                #expect(response.status == .ok)
                OpenAPIValidator.shared.check(response, path: "/v1/instances", method: "get")
                let item = try #require(try GeoB24.items(response).first)
                #expect(item["id"] as? String == "bad:1" && item["started_at"] is NSNull)
                #expect((item["raw"] as? [String: Any])?["started_at"] as? String == "15/03/2026")
            }
        }
    }
}
