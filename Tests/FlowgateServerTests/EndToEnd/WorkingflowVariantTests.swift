import FlowgateEmulators
import FlowgateServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The Workingflow adapter against every shape the emulator can give `files[]` items in: the item shape
/// is undocumented, so the gateway must read each and still download each file by its stored name.
@Suite struct WorkingflowVariantTests {
    @Test(arguments: WorkingflowFileItems.allCases)
    func filesOfEveryItemShapeAreListedAndDownload(shape: WorkingflowFileItems) async throws {
        let metrics = GatewayMetrics()
        try await LiveStack.run(emulators: variantEmulators(workingflow: [shape]), metrics: metrics) { stack, client in
            let response = try await client.get("/v1/instances/wf:50100?include=raw")
            #expect(response.status == .ok)
            OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}", method: "get")
            let detail = try CFJSON.object(response)
            let files = try #require(detail["files"] as? [[String: Any]])
            #expect(files.compactMap { $0["name"] as? String } == ["a3f8b2c1_receipt.pdf", "7c1d9e04_Q2 travel summary.csv"])
            if shape == .bare {
                #expect(files.allSatisfy { $0["original_name"] is NSNull && $0["content_type"] is NSNull && $0["size"] is NSNull })
            } else {
                #expect(files.compactMap { $0["original_name"] as? String } == ["receipt.pdf", "Q2 travel summary.csv"])
                #expect(files.compactMap { $0["content_type"] as? String } == ["application/pdf", "text/csv"])
                #expect(files.allSatisfy { ($0["size"] as? Int ?? 0) > 0 })
            }
            // What the upstream sent stays visible as it was.
            let rawFiles = try #require((detail["raw"] as? [String: Any])?["files"] as? [Any])
            #expect((rawFiles.first is String) == (shape == .bare))

            let url = try #require(files.first?["url"] as? String)
            let download = try await client.get(url)
            #expect(download.status == .ok)
            #expect(download.headers[.contentDisposition] == #"attachment; filename="receipt.pdf""#)
            #expect(String(buffer: download.body).hasPrefix("%PDF-1.4\n"))
            let sent = stack.emulator("workingflow").recorder.all.filter { $0.path.contains("/files/") }.map(\.path)
            #expect(sent == ["/processapi/50100/files/a3f8b2c1_receipt.pdf"])
            #expect(metrics.lines(of: "flowgate_upstream_shape_drift_total").isEmpty, "every shape read without drift")
        }
    }

    /// An instance with an `endTime` has ended, whatever its status word says.
    @Test func anEndedInstanceIsCompletedWhateverItsWord() async throws {
        try await LiveStack.run { _, client in
            let response = try await client.get("/v1/instances/wf:50210")
            OpenAPIValidator.shared.check(response, path: "/v1/instances/{id}", method: "get")
            let instance = try CFJSON.object(response)
            #expect(instance["status"] as? String == "completed" && instance["provider_status"] as? String == "TERMINATED")
            #expect(instance["ended_at"] is String)
        }
    }
}
