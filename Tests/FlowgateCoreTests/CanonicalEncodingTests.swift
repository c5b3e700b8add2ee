import FlowgateCore
import Foundation
import Testing

struct CanonicalEncodingTests {
    private func json(_ value: some Encodable) throws -> [String: Any] {
        let data = try CanonicalJSON.encode(value)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func instanceKeepsAbsentValuesAsNullsWithSnakeCaseNames() throws {
        let instance = Instance(
            id: CanonicalID(connection: "geo", native: "591847302948571634"), provider: .geotareas,
            definition: .init(id: "geo:482938470192837465", name: nil), status: .running, providerStatus: "RUNNING",
            startedAt: Timestamp.parse("2026-03-15T10:00:00-03:00")
        )
        let object = try json(instance)
        #expect(object["id"] as? String == "geo:591847302948571634")
        #expect(object["connection"] as? String == "geo")
        #expect(object["provider_status"] as? String == "RUNNING")
        #expect(object["started_at"] as? String == "2026-03-15T13:00:00Z", "converted to UTC with Z")
        for key in ["updated_at", "ended_at", "started_by", "entity", "current_step", "pending_tasks"] {
            #expect(object[key] is NSNull, "\(key) must be present as null")
        }
        #expect(object["raw"] == nil, "raw only when asked for")
        #expect((object["definition"] as? [String: Any])?["name"] is NSNull)
    }

    @Test func detailIsAnInstancePlusItsOwnFields() throws {
        let instance = Instance(
            id: CanonicalID(connection: "wf", native: "42"), provider: .workingflow, definition: .init(id: nil, name: nil),
            status: .unknown, providerStatus: "NEW_WORD", raw: .object(["weird": .int(1)])
        )
        let object = try json(InstanceDetail(instance: instance, tasks: [WorkflowTask(id: "t1", name: "Approve", status: .pending)]))
        #expect(object["status"] as? String == "unknown")
        #expect(object["variables"] is NSNull)
        #expect(object["files"] is NSNull)
        #expect((object["tasks"] as? [[String: Any]])?.first?["completed_at"] is NSNull)
        #expect((object["raw"] as? [String: Any])?["weird"] as? Int == 1)
    }

    @Test func errorEnvelopeHasEveryField() throws {
        let error = GatewayError(.rateLimited, "Slow down", retryAfterSeconds: 2, connection: "geo", provider: .geotareas)
        let object = try #require(try json(error.envelope(requestID: "r1"))["error"] as? [String: Any])
        #expect(
            Set(object.keys) == [
                "code", "message", "status", "retryable", "retry_after_s", "request_id", "connection", "provider", "upstream", "details",
            ])
        #expect(object["status"] as? Int == 429)
        #expect(object["retryable"] as? Bool == true)
        #expect(object["upstream"] is NSNull)
    }

    @Test func everyCodeHasTheStatusOfTheDesignTable() {
        let table: [String: Int] = [
            "INVALID_REQUEST": 400, "UNAUTHENTICATED": 401, "FORBIDDEN": 403, "NOT_FOUND": 404, "METHOD_NOT_ALLOWED": 405,
            "CONFLICT": 409, "PAYLOAD_TOO_LARGE": 413, "URI_TOO_LONG": 414, "UNPROCESSABLE": 422, "RATE_LIMITED": 429,
            "INTERNAL": 500, "NOT_SUPPORTED": 501, "UPSTREAM_AUTH_FAILED": 502, "UPSTREAM_ERROR": 502,
            "UPSTREAM_UNAVAILABLE": 503, "UPSTREAM_TIMEOUT": 504,
        ]
        #expect(Dictionary(uniqueKeysWithValues: ErrorCode.all.map { ($0.rawValue, $0.status) }) == table)
    }

    @Test func jsonValueKeepsLargeIntegersExact() throws {
        let text = #"{"id":591847302948571634,"ratio":0.5,"ok":true,"none":null,"list":["a"]}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(value.objectValue?["id"] == .int(591_847_302_948_571_634))
        #expect(
            String(decoding: try CanonicalJSON.encode(value), as: UTF8.self)
                == #"{"id":591847302948571634,"list":["a"],"none":null,"ok":true,"ratio":0.5}"#)
    }

    @Test func timestampsAreUTCWithZ() throws {
        #expect(Timestamp.format(try #require(Timestamp.parse("2026-03-15T16:00:00+03:00"))) == "2026-03-15T13:00:00Z")
        #expect(Timestamp.format(try #require(Timestamp.parse("2026-03-15T13:00:00.250Z"))) == "2026-03-15T13:00:00.250Z")
        #expect(Timestamp.parse("2026-03-15 13:00:00") == nil, "a zone-less time is not RFC 3339")
    }
}
