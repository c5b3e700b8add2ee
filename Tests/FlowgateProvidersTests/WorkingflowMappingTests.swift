import FlowgateCore
@testable import FlowgateProviders
import Foundation
import Testing

/// Workingflow's tables and mapping, without an upstream.
struct WorkingflowMappingTests {
    static let connection = ProviderConnection(
        name: "wf", kind: .workingflow, credentials: ["api_key": Secret("wf_secret_key")],
        routes: ProviderRoutes(provider: .workingflow, routes: [:], buckets: [:])
    )

    @Test func statusWords() {
        #expect(WorkingflowStatus.map("ACTIVE") == .running)
        #expect(WorkingflowStatus.map("COMPLETED") == .completed)
        #expect(WorkingflowStatus.map("SUSPENDED") == .paused)
        #expect(WorkingflowStatus.map("TERMINATED") == .unknown)
        #expect(WorkingflowStatus.map("active") == .unknown)
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
