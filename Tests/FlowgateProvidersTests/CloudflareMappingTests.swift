import FlowgateCore
import Foundation
import Testing

@testable import FlowgateProviders

/// Cloudflare's tables and derivations, without an upstream.
struct CloudflareMappingTests {
    static let connection = ProviderConnection(
        name: "cf", kind: .cloudflare, credentials: ["api_token": Secret("tok-secret-99")], accountID: "acc",
        routes: ProviderRoutes(provider: .cloudflare, routes: [:], buckets: [:])
    )

    @Test func statusWordsMapWordForWord() {
        let expected: [String: InstanceStatus] = [
            "queued": .queued, "running": .running, "rollingBack": .running, "waiting": .waiting, "paused": .paused,
            "waitingForPause": .paused, "complete": .completed, "errored": .failed, "terminated": .cancelled,
            "unknown": .unknown, "somethingNew": .unknown,
        ]
        for (word, status) in expected { #expect(CloudflareStatus.map(word) == status, "\(word)") }
    }

    @Test func onlyStatusesWithOneFilterableWordArePushedDown() {
        #expect(CloudflareStatus.pushdown([.failed]) == "errored")
        #expect(CloudflareStatus.pushdown([.cancelled]) == "terminated")
        #expect(CloudflareStatus.pushdown([.queued]) == "queued")
        #expect(CloudflareStatus.pushdown([.running]) == nil, "running or rollingBack")
        #expect(CloudflareStatus.pushdown([.paused]) == nil, "paused or waitingForPause")
        #expect(CloudflareStatus.pushdown([.queued, .failed]) == nil)
        #expect(CloudflareStatus.pushdown([.unknown]) == nil)
        #expect(CloudflareStatus.pushdown(nil) == nil)
    }

    @Test func nativeIdsSplitOnTheFirstColon() throws {
        let id = try CloudflareNativeID.parse("flow:inst:with:colons", connection: Self.connection)
        #expect(id.workflow == "flow" && id.instance == "inst:with:colons")
        for bad in ["no-colon", ":x", "flow:", String(repeating: "w", count: 65) + ":x", "w:" + String(repeating: "i", count: 101)] {
            #expect(throws: GatewayError.self, "\(bad)") { try CloudflareNativeID.parse(bad, connection: Self.connection) }
        }
    }

    @Test func newInstanceIdsFollowThePattern() throws {
        try CloudflareNativeID.checkNewInstanceID("order_1-a", connection: Self.connection)
        try CloudflareNativeID.checkNewInstanceID("cf_short", connection: Self.connection)
        for bad in ["-x", "a b", "é", "", String(repeating: "a", count: 101), "cf_" + String(repeating: "0f", count: 32)] {
            #expect(throws: GatewayError.self, "\(bad)") { try CloudflareNativeID.checkNewInstanceID(bad, connection: Self.connection) }
        }
    }

    @Test(arguments: [
        (401, 10000, ErrorCode.upstreamAuthFailed), (403, 10000, .forbidden), (500, 10001, .upstreamError), (400, 10002, .unprocessable),
        (404, 10200, .notFound), (403, 10208, .forbidden), (404, 10400, .notFound), (400, 10401, .conflict), (400, 10405, .conflict),
        (400, 10415, .conflict), (429, 971, .rateLimited), (429, 0, .rateLimited), (404, 7000, .notFound), (502, 1, .upstreamError),
    ])
    func errorTable(status: Int, code: Int, expected: ErrorCode) {
        let body = #"{"success":false,"errors":[{"code":\#(code),"message":"m tok-secret-99"}],"messages":[],"result":null}"#
        let reply = UpstreamReply(status: status, headers: ["retry-after": "42"], body: Array(body.utf8))
        let error = CloudflareErrors.failure(reply, connection: Self.connection)
        #expect(error.code == expected)
        #expect(error.upstream?.code == String(code) && error.upstream?.message == "m ***")
        #expect(error.retryAfterSeconds == (expected == .rateLimited ? 42 : nil))
    }

    @Test func aNonJSONErrorIsJudgedByStatus() {
        let error = CloudflareErrors.failure(UpstreamReply(status: 503, headers: [:], body: Array("busy".utf8)), connection: Self.connection)
        #expect(error.code == .upstreamUnavailable && error.upstream?.code == nil)
    }

    @Test func filterBoundsAreUTCWithoutOffsetRoundedOutwards() throws {
        let instant = try #require(Timestamp.parse("2026-03-14T10:20:30.250Z"))
        #expect(CloudflareTime.filterBound(instant, roundingUp: false) == "2026-03-14T10:20:30")
        #expect(CloudflareTime.filterBound(instant, roundingUp: true) == "2026-03-14T10:20:31")
    }

    static func record(_ text: String) throws -> CloudflareRecord {
        try CloudflareRecord(try #require(UpstreamJSON.parse(Array(text.utf8))), json: UpstreamJSON(connection))
    }

    @Test func timelineOfATerminatedInstance() throws {
        let record = try Self.record(
            """
            {"status":"terminated","params":{},"output":null,"error":null,"queued":"2026-03-10T08:00:00.000Z",
             "start":"2026-03-10T08:00:01.000Z","end":"2026-03-10T08:05:00.000Z","trigger":{"source":"api"},"versionId":"v",
             "steps":[
              {"type":"step","name":"a","start":"2026-03-10T08:00:01.000Z","end":"2026-03-10T08:00:02.000Z","success":true,"output":"[1,2]",
               "attempts":[{"start":"2026-03-10T08:00:01.000Z","end":"2026-03-10T08:00:02.000Z","success":true,"error":null}]},
              {"type":"sleep","name":"nap","start":"2026-03-10T08:00:02.000Z","end":"2026-03-11T08:00:02.000Z","finished":false,"error":null},
              {"type":"termination","trigger":{"source":"api"}}
             ]}
            """
        )
        let events = CloudflareTimeline.events(record)
        #expect(events.map(\.type) == ["queued", "started", "step_started", "step_completed", "sleep_started", "terminated"])
        #expect(events.last?.at == Timestamp.parse("2026-03-10T08:05:00Z") && events.last?.actor == "api")
        #expect(record.currentStep == nil, "finished")
        let data = CloudflareTimeline.data(record, id: Self.connection.id("flow:x"))
        #expect(data.steps.first?.data["output"] == .array([.int(1), .int(2)]))
        #expect(data.input == [:])
    }

    @Test func aWaitingInstanceIsAtItsOpenStep() throws {
        let record = try Self.record(
            """
            {"status":"waiting","params":"{\\"a\\":1}","queued":"2026-03-10T08:00:00Z","start":null,"end":null,"trigger":{"source":"api"},
             "steps":[{"type":"waitForEvent","name":"approval","start":"2026-03-10T08:00:00Z","end":"2026-03-11T08:00:00Z","finished":false,
                       "error":null,"event_type":"approved"}]}
            """
        )
        #expect(record.currentStep == "approval")
        #expect(CloudflareTimeline.data(record, id: Self.connection.id("f:x")).input == ["a": .int(1)], "a JSON-text params object")
        #expect(CloudflareTimeline.events(record).map(\.type) == ["queued", "wait_started"])
    }

    @Test func anUnknownStatusWordIsKeptNotFailed() throws {
        let mapping = CloudflareMapping(Self.connection)
        let item = try #require(
            UpstreamJSON.parse(
                Array(
                    #"{"id":"i","status":"hibernating","created_on":"2026-03-10T08:00:00Z","modified_on":"2026-03-10T08:00:00Z","ended_on":null,"started_on":null}"#
                        .utf8)))
        let instance = try mapping.listed(item, workflow: "f", includeRaw: true)
        #expect(instance.status == .unknown && instance.providerStatus == "hibernating")
        #expect(instance.id.description == "cf:f:i" && instance.raw == item)
    }
}
