import AsyncHTTPClient
import FlowgateEmulators
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Testing

/// Workingflow file downloads stream through the gateway untouched.
@Suite struct WorkingflowE2EFileTests {
    @Test func downloadsASmallFileByItsDetailURL() async throws {
        try await LiveStack.run { stack, client in
            let detail = try CFJSON.object(try await client.get("/v1/instances/wf:50100"))
            let urls = try #require((detail["files"] as? [[String: Any]])?.compactMap { $0["url"] as? String })
            let receipt = try await client.get(try #require(urls.first))
            #expect(receipt.status == .ok)
            OpenAPIValidator.shared.check(receipt, path: "/v1/instances/{id}/files/{name}", method: "get")
            #expect(String(buffer: receipt.body).hasPrefix("%PDF-1.4\n"))
            #expect(String(buffer: receipt.body).hasSuffix("%%EOF\n"))
            #expect(receipt.headers[.contentType] == "application/pdf")
            #expect(receipt.headers[.contentDisposition] == #"attachment; filename="receipt.pdf""#)

            let csv = try await client.get(urls[1])
            #expect(csv.status == .ok)
            #expect(String(buffer: csv.body).hasPrefix("date,category,description,amount,currency\n"))
            #expect(csv.headers[.contentDisposition] == #"attachment; filename="Q2 travel summary.csv""#)
            #expect(csv.headers[.contentType] == "text/csv")

            let downloads = stack.emulator("workingflow").recorder.all.filter { $0.path.contains("/files/") }
            #expect(
                downloads.map(\.path) == [
                    "/processapi/50100/files/a3f8b2c1_receipt.pdf", "/processapi/50100/files/7c1d9e04_Q2%20travel%20summary.csv",
                ])
            #expect(downloads.allSatisfy { $0.headers[.authorization] == "Bearer \(LiveStack.Demo.workingflowKey)" })
        }
    }

    @Test func anUnknownFileIsNotFound() async throws {
        try await LiveStack.run { _, client in
            let response = try await client.get("/v1/instances/wf:50100/files/nope.pdf")
            #expect(response.status == .notFound)
            OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}/files/{name}", method: "get")
            let error = try ErrorBody(response)
            #expect(error.code == "NOT_FOUND")
            #expect((error.object["upstream"] as? [String: Any])?["code"] as? String == "FILE_NOT_FOUND")
        }
    }

    /// 100 MiB through the gateway, counted as it arrives and never held: the body is read buffer by
    /// buffer from the gateway's own port, and each 64 KiB chunk's index (its first 8 bytes) is checked
    /// where a chunk starts inside a buffer.
    @Test func aHundredMebibyteFileStreamsThrough() async throws {
        try await LiveStack.run { _, client in
            let port = try #require(client.port)
            try await expectTheSurveyFileStreams(
                from: "http://127.0.0.1:\(port)/v1/instances/wf:50150/files/e5b7a9d2_drone-survey.bin", key: TestKeys.acmeReadWrite
            )
        }
    }
}
