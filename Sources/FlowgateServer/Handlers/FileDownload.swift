import AsyncHTTPClient
import FlowgateCore
import FlowgateProviders
import Hummingbird
import NIOCore
import NIOHTTP1

/// `GET /v1/instances/{id}/files/{name}`: the upstream body streams through as it arrives, with
/// backpressure both ways, so a 100 MB file costs the gateway a few buffers, not 100 MB.
enum FileDownload {
    /// Of a failed download, only this much of the upstream's error body is read.
    static let maxErrorBytes = 64 * 1024

    static func stream(id: CanonicalID, name: String, endpoint: ConnectionAdapters.Endpoint) async throws -> Response {
        let call = try await endpoint.adapter.fileCall(id.native, name: name)
        let response = try await endpoint.transport.open(call)
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            let body = (try? await response.body.collect(upTo: maxErrorBytes)).map { Array(buffer: $0) } ?? []
            throw endpoint.adapter.failure(UpstreamReply(status: status, headers: response.headers.lowercasedNames, body: body), of: call)
        }
        var headers: HTTPFields = [.contentType: response.headers.first(name: "Content-Type") ?? "application/octet-stream"]
        if let disposition = response.headers.first(name: "Content-Disposition") { headers[.contentDisposition] = disposition }
        if let length = response.headers.first(name: "Content-Length"), Int(length) != nil { headers[.contentLength] = length }
        return Response(status: .ok, headers: headers, body: ResponseBody(asyncSequence: response.body))
    }
}
