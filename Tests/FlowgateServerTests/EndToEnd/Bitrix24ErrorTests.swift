import FlowgateEmulators
import FlowgateServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Every documented vibecode error code (docs/upstreams/bitrix24.md#errors), forced in the emulator's own envelope, and
/// the canonical answer it becomes; plus answers that break the contract.
@Suite struct Bitrix24ErrorTests {
    typealias Case = UpstreamErrorCase

    static let cases: [Case] = [
        .init(status: 401, code: "MISSING_API_KEY", canonical: "UPSTREAM_AUTH_FAILED", httpStatus: 502),
        .init(status: 401, code: "INVALID_API_KEY", canonical: "UPSTREAM_AUTH_FAILED", httpStatus: 502),
        .init(status: 401, code: "INVALID_APP_KEY", canonical: "UPSTREAM_AUTH_FAILED", httpStatus: 502),
        .init(status: 401, code: "TOKEN_MISSING", canonical: "UPSTREAM_AUTH_FAILED", httpStatus: 502),
        .init(status: 401, code: "TOKEN_EXPIRED", canonical: "UPSTREAM_AUTH_FAILED", httpStatus: 502),
        .init(status: 403, code: "SCOPE_DENIED", canonical: "FORBIDDEN", httpStatus: 403),
        .init(status: 403, code: "BITRIX_ACCESS_DENIED", canonical: "FORBIDDEN", httpStatus: 403),
        .init(status: 403, code: "OAUTH_REQUIRED", canonical: "FORBIDDEN", httpStatus: 403),
        .init(status: 403, code: "WRITE_BLOCKED_READONLY_KEY", canonical: "FORBIDDEN", httpStatus: 403),
        .init(status: 403, code: "KEY_POLICY_READONLY_REQUIRED", canonical: "FORBIDDEN", httpStatus: 403),
        .init(status: 404, code: "ENTITY_NOT_FOUND", canonical: "NOT_FOUND", httpStatus: 404),
        .init(status: 429, code: "RATE_LIMITED", canonical: "RATE_LIMITED", httpStatus: 429),
        .init(status: 502, code: "BITRIX_UNAVAILABLE", canonical: "UPSTREAM_UNAVAILABLE", httpStatus: 503),
        .init(status: 504, code: "QUEUE_TIMEOUT", canonical: "UPSTREAM_TIMEOUT", httpStatus: 504),
        .init(status: 400, code: "VALIDATION_ERROR", canonical: "UNPROCESSABLE", httpStatus: 422),
        .init(status: 422, code: "BITRIX_ERROR", canonical: "UNPROCESSABLE", httpStatus: 422),
        .init(status: 500, code: "INTERNAL_ERROR", canonical: "UPSTREAM_ERROR", httpStatus: 502),
        .init(status: 400, code: "BATCH_LIMIT_EXCEEDED", canonical: "UPSTREAM_ERROR", httpStatus: 502),
        .init(status: 429, code: "ERROR_LOOP_DETECTED", canonical: "UPSTREAM_ERROR", httpStatus: 502),
        // A code nobody documented falls back to its HTTP status.
        .init(status: 409, code: "SOMETHING_NEW", canonical: "CONFLICT", httpStatus: 409),
    ]

    /// Forced on a start, whose documented answers include every canonical status these codes map to
    /// (the spec documents no 409 or 422 for reads; reported).
    @Test(arguments: cases)
    func eachDocumentedCodeMapsToItsCanonicalError(_ test: Case) async throws {
        try await LiveStack.run { stack, client in
            stack.emulator("bitrix24").faults.add(Fault(.error(status: test.status, code: test.code), pathPrefix: "/v1/workflows"))
            let response = try await GeoB24.post(client, "/v1/instances", #"{"definition":"b24:713","entity":{"type":"deal","id":"5150"}}"#)
            #expect(Int(response.status.code) == test.httpStatus)
            GeoB24.checkStart(response)
            let error = try ErrorBody(response)
            #expect(error.code == test.canonical)
            #expect(error.object["connection"] as? String == "b24")
            let upstream = try #require(error.object["upstream"] as? [String: Any])
            #expect(upstream["code"] as? String == test.code)
            #expect(upstream["status"] as? Int == test.status)
            if test.canonical == "RATE_LIMITED" {
                #expect(error.object["retry_after_s"] as? Int == 2)
                #expect(response.headers[.retryAfter] == "2")
            }
            for secret in LiveStack.Demo.secrets { #expect(!String(buffer: response.body).contains(secret)) }
        }
    }

    @Test func aReadRetriesOnceThePortalIsUnavailableAgain() async throws {
        try await LiveStack.run { stack, client in
            stack.emulator("bitrix24").faults.add(Fault(.error(status: 502, code: "BITRIX_UNAVAILABLE"), pathPrefix: "/v1/workflows", count: 1))
            let response = try await GeoB24.get(client, "/v1/instances?connection=b24&limit=3")
            #expect(response.status == .ok)
            #expect(GeoB24.received(stack.emulator("bitrix24"), "/v1/workflows").count == 2)
        }
    }

    @Test func aWriteIsNeverRetried() async throws {
        try await LiveStack.run { stack, client in
            stack.emulator("bitrix24").faults.add(Fault(.error(status: 502, code: "BITRIX_UNAVAILABLE"), pathPrefix: "/v1/workflows/start", count: 1))
            let response = try await GeoB24.post(client, "/v1/instances", #"{"definition":"b24:713","entity":{"type":"deal","id":"5150"}}"#)
            #expect(response.status == .serviceUnavailable)
            GeoB24.checkStart(response)
            #expect(try ErrorBody(response).code == "UPSTREAM_UNAVAILABLE")
            #expect(GeoB24.received(stack.emulator("bitrix24"), "/v1/workflows/start").count == 1)
        }
    }

    @Test func aKeyWithoutTheBizprocScopeIsForbidden() async throws {
        let noScope = """
                  - name: b24n
                    provider: bitrix24
                    base_url: %URL%
                    credentials: {api_key: vibe_api_noscope_0000000000000000}
            """
        try await LiveStack.run(config: { $0.configYAML(extraConnections: noScope.replacingOccurrences(of: "%URL%", with: $0.baseURL("bitrix24"))) })
        {
            _, client in
            let response = try await GeoB24.get(client, "/v1/instances?connection=b24n")
            #expect(response.status == .forbidden)
            OpenAPIValidator.shared.check(response, path: "/v1/instances", method: "get")
            #expect((try ErrorBody(response).object["upstream"] as? [String: Any])?["code"] as? String == "SCOPE_DENIED")
        }
    }

    /// Answers a vibecode upstream must never give, each under its own base path of one fake upstream.
    @Test(arguments: [
        ("not-json", "/v1/instances?connection=bad"),
        ("no-success", "/v1/instances?connection=bad"),
        ("missing-id", "/v1/instances?connection=bad"),
        ("no-data", "/v1/instances?connection=bad"),
        ("not-json", "/v1/definitions?connection=bad"),
        ("no-success", "/v1/instances/bad:1.2"),
    ])
    func answersThatBreakTheContractAreUpstreamErrors(mode: String, uri: String) async throws {
        try await GeoB24.withFakeUpstream({ request in
            switch request.uri.path.split(separator: "/").first {
            case "not-json": GeoB24.reply(.ok, "<html>maintenance</html>", contentType: "text/html")
            case "no-success": GeoB24.reply(.ok, #"{"success":false,"data":[],"meta":{"total":0}}"#)
            case "missing-id":
                GeoB24.reply(.ok, #"{"success":true,"data":[{"TEMPLATE_ID":"713","STARTED":"2026-04-28T17:23:17+03:00"}],"meta":{"total":1}}"#)
            default: GeoB24.reply(.ok, #"{"success":true,"meta":{"total":0}}"#)
            }
        }) { port in
            let connection = """
                      - name: bad
                        provider: bitrix24
                        base_url: http://127.0.0.1:\(port)/\(mode)
                        credentials: {api_key: vibe_api_demo_0000000000000000}
                """
            try await LiveStack.run(config: { $0.configYAML(extraConnections: connection) }) { _, client in
                let response = try await GeoB24.get(client, uri)
                #expect(response.status == .badGateway)
                let template = uri.hasPrefix("/v1/instances/") ? "/v1/instances/{id}" : String(uri.prefix { $0 != "?" })
                OpenAPIValidator.shared.check(response, path: template, method: "get")
                #expect(try ErrorBody(response).code == "UPSTREAM_ERROR")
            }
        }
    }

    /// Fields a listed workflow can do without are tolerated: a missing `STARTED` is null, a missing
    /// `meta.total` is read past (to an empty page) and reported, never a 502.
    @Test func missingOptionalFieldsAndTotalsAreTolerated() async throws {
        let metrics = GatewayMetrics()
        try await GeoB24.withFakeUpstream({ request in
            let offset = request.uri.queryParameters["offset"].flatMap { Int($0) } ?? 0
            return offset == 0
                ? GeoB24.reply(.ok, #"{"success":true,"data":[{"ID":"a.1","TEMPLATE_ID":"713"}]}"#)
                : GeoB24.reply(.ok, #"{"success":true,"data":[]}"#)
        }) { port in
            let connection = """
                      - name: bad
                        provider: bitrix24
                        base_url: http://127.0.0.1:\(port)
                        credentials: {api_key: vibe_api_demo_0000000000000000}
                """
            try await LiveStack.run(metrics: metrics, config: { $0.configYAML(extraConnections: connection) }) { _, client in
                let response = try await GeoB24.get(client, "/v1/instances?connection=bad")
                #expect(response.status == .ok)
                OpenAPIValidator.shared.check(response, path: "/v1/instances", method: "get")
                let items = try GeoB24.items(response)
                #expect(items.compactMap { $0["id"] as? String } == ["bad:a.1"] && items.first?["started_at"] is NSNull)
                #expect(try GeoB24.nextCursor(response) == nil)
            }
        }
        #expect(metrics.lines(of: "flowgate_upstream_shape_drift_total").contains { $0.contains(#"field="meta.total""#) })
    }
}
