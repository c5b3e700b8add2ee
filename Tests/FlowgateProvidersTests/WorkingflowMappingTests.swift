import FlowgateCore
import Foundation
import Testing

@testable import FlowgateProviders

/// Workingflow's tables and mapping, without an upstream.
struct WorkingflowMappingTests {
    static let connection = ProviderConnection(
        name: "wf", kind: .workingflow, credentials: ["api_key": Secret("wf_secret_key")],
        routes: ProviderRoutes(provider: .workingflow, routes: [:], buckets: [:])
    )

    @Test func statusWords() {
        #expect(WorkingflowStatus.map("ACTIVE", ended: false) == .running)
        #expect(WorkingflowStatus.map("COMPLETED", ended: false) == .completed)
        #expect(WorkingflowStatus.map("SUSPENDED", ended: false) == .paused)
        #expect(WorkingflowStatus.map("TERMINATED", ended: false) == .unknown)
        #expect(WorkingflowStatus.map("active", ended: false) == .unknown)
    }

    /// `endTime` set means the instance ended, whatever its word; the word stays in `provider_status`.
    @Test(arguments: ["ACTIVE", "COMPLETED", "TERMINATED", "SUSPENDED", "SOMETHING_NEW"])
    func anEndTimeMeansCompleted(word: String) throws {
        let text =
            #"{"processInstanceId":"1","processDefinitionKey":"k","status":"\#(word)","startTime":"2026-05-01T09:00:00.000+00:00","endTime":"2026-05-01T10:00:00.250+00:00"}"#
        let detail = try WorkingflowMapping(Self.connection).detail(json(text), includeRaw: false)
        #expect(detail.instance.status == .completed && detail.instance.providerStatus == word)
        #expect(detail.instance.endedAt.map(Timestamp.format) == "2026-05-01T10:00:00.250Z")
    }

    /// `files[]` items in every plausible shape name the same stored file.
    @Test(arguments: [
        #""a3f8_r.pdf""#, #"{"name":"a3f8_r.pdf","originalName":"r.pdf","contentType":"application/pdf","size":12}"#,
        #"{"fileName":"a3f8_r.pdf","originalName":"r.pdf","contentType":"application/pdf","size":"12"}"#,
        #"{"filename":"a3f8_r.pdf","originalFilename":"r.pdf","mimeType":"application/pdf","size":12}"#,
        #"{"storedName":"a3f8_r.pdf","name":"r.pdf","displayName":"r.pdf","contentType":"application/pdf","size":12}"#,
        #"{"stored_name":"a3f8_r.pdf","original_name":"r.pdf","content_type":"application/pdf","size":12}"#,
        #"{"file_name":"a3f8_r.pdf","original_name":"r.pdf","content_type":"application/pdf","file_size":12}"#,
    ])
    func fileItemsInEveryShape(item: String) throws {
        let drift = DriftRecorder()
        let text = #"{"processInstanceId":"52407","status":"ACTIVE","files":[\#(item)]}"#
        let detail = try WorkingflowMapping(drift.connection(.workingflow, name: "wf")).detail(json(text), includeRaw: false)
        let file = try #require(detail.files?.first)
        #expect(file.name == "a3f8_r.pdf" && file.url == "/v1/instances/wf%3A52407/files/a3f8_r.pdf")
        if item.hasPrefix("{") {
            #expect(file.originalName == "r.pdf" && file.contentType == "application/pdf" && file.size == 12)
        }
        #expect(drift.reports.isEmpty)
    }

    /// What no reader can use is dropped item by item, reported, and the rest of the answer stands.
    @Test func unusableItemsAreSkippedNotFatal() throws {
        let drift = DriftRecorder()
        let text = """
            {"processInstanceId":52407,"status":"ACTIVE","processDefinitionKey":["odd"],"startTime":"soon",
             "activeTasks":[{"taskName":"no id"},{"taskId":9,"taskName":"Review"},"junk"],
             "variables":"not an object","files":[42,{"size":3},"",{"name":"ok.pdf"},{"name":"ok2.pdf","size":{"bytes":1}}]}
            """
        let detail = try WorkingflowMapping(drift.connection(.workingflow, name: "wf")).detail(json(text), includeRaw: true)
        #expect(detail.instance.id.description == "wf:52407" && detail.instance.status == .running)
        #expect(detail.instance.definition.id == nil && detail.instance.startedAt == nil && detail.variables == nil)
        #expect(detail.tasks.map(\.id) == ["9"])
        #expect(detail.files?.map(\.name) == ["ok.pdf", "ok2.pdf"])
        #expect(detail.instance.raw == json(text), "the upstream's own value stays visible")
        #expect(
            Set(drift.reports) == [
                "processDefinitionKey: array", "startTime: unparsable string", "activeTasks[].taskId: missing", "activeTasks[]: string",
                "variables: string", "files[]: number", "files[].name: missing", "files[]: empty string", "files[].size: object",
            ]
        )
    }

    /// Without the native id or status word there is no canonical instance: `502` naming the field.
    @Test(arguments: [(#"{"status":"ACTIVE"}"#, "processInstanceId"), (#"{"processInstanceId":"1","status":7}"#, "status")])
    func strictFieldsStayStrict(text: String, field: String) {
        #expect {
            try WorkingflowMapping(Self.connection).detail(json(text), includeRaw: false)
        } throws: { error in
            (error as? GatewayError)?.code == .upstreamError && (error as? GatewayError)?.message.contains(field) == true
        }
    }

    @Test(arguments: [
        (401, "UNAUTHORIZED", ErrorCode.upstreamAuthFailed), (404, "PROCESS_NOT_FOUND", .notFound), (404, "INSTANCE_NOT_FOUND", .notFound),
        (404, "FILE_NOT_FOUND", .notFound), (409, "PROCESS_SUSPENDED", .conflict), (422, "START_FORM_NOT_SUPPORTED", .unprocessable),
        (500, "INTERNAL_ERROR", .upstreamError), (403, "NEW_CODE", .forbidden),
    ])
    func errorTable(status: Int, code: String, expected: ErrorCode) {
        let body = #"{"error":"bad key wf_secret_key","code":"\#(code)"}"#
        let error = WorkingflowErrors.failure(UpstreamReply(status: status, headers: [:], body: Array(body.utf8)), connection: Self.connection)
        #expect(error.code == expected)
        #expect(error.upstream?.code == code && error.upstream?.message == "bad key ***")
    }

    @Test func detailConvertsOffsetsToUTCAndLinksFiles() throws {
        let text = """
            {"processInstanceId":"52407","processDefinitionName":"Expense","processDefinitionKey":"expense","startTime":"2026-05-01T09:15:22.000+02:00",
             "endTime":null,"status":"ACTIVE","activeTasks":[{"taskId":"52412","taskName":"Review","assignee":"m.keller","createTime":"2026-05-01T09:15:22.500+00:00"}],
             "variables":{"initiator":"api:ERP Integration","amount":12},"files":["a1_x y.pdf",{"name":"b2_z.csv","contentType":"text/csv","size":12}]}
            """
        let detail = try WorkingflowMapping(Self.connection).detail(try #require(UpstreamJSON.parse(Array(text.utf8))), includeRaw: false)
        #expect(detail.instance.startedAt == Timestamp.parse("2026-05-01T07:15:22Z"))
        #expect(detail.tasks.first?.createdAt == Timestamp.parse("2026-05-01T09:15:22.500Z"))
        #expect(detail.instance.startedBy == "api:ERP Integration" && detail.instance.pendingTasks == 1)
        #expect(detail.files?.map(\.url) == ["/v1/instances/wf%3A52407/files/a1_x%20y.pdf", "/v1/instances/wf%3A52407/files/b2_z.csv"])
        #expect(detail.files?.last?.size == 12)
    }
}
