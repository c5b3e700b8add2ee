import AsyncHTTPClient
import FlowgateCore
import Hummingbird
import NIOCore
import NIOHTTP1

/// An upstream answer to a native call, as the client gets it: status, end-to-end headers and body as
/// the upstream sent them, the body streamed with backpressure both ways (a 100 MiB file costs a few
/// buffers). The one change: an error answer (4xx/5xx) small enough to read that echoes one of the
/// connection's secrets has each occurrence masked as `***`, since nothing secret may leave the gateway.
enum NativeAnswer {
    /// Error answers up to this size are read to be checked for secrets; larger ones stream unread.
    static let maxCheckedErrorBytes = 64 * 1024

    static func streamed(
        _ upstream: HTTPClientResponse, method: HTTPRequest.Method, secrets: [String], provider: ProviderKind
    ) async throws -> Response {
        let status = HTTPResponse.Status(code: Int(upstream.status.code))
        let headers = NativeHeaders.toClient(upstream.headers)
        if method == .head || status.code == 204 || status.code == 304 {
            return Response(status: status, headers: headers, body: ResponseBody())
        }
        let declared = upstream.headers.first(name: "Content-Length").flatMap { Int($0) }
        if status.code >= 400, let declared, declared <= maxCheckedErrorBytes {
            return try await collected(upstream, limit: maxCheckedErrorBytes, secrets: secrets, provider: provider).0
        }
        return Response(status: status, headers: headers, body: ResponseBody(asyncSequence: upstream.body))
    }

    /// The whole answer, read within `limit` (idempotent writes keep it, cached reads share it).
    static func collected(
        _ upstream: HTTPClientResponse, limit: Int, secrets: [String], provider: ProviderKind
    ) async throws -> (Response, ByteBuffer) {
        let status = HTTPResponse.Status(code: Int(upstream.status.code))
        var headers = NativeHeaders.toClient(upstream.headers)
        var body: ByteBuffer
        do {
            body = try await upstream.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw GatewayError(
                .upstreamError, "\(provider.rawValue) answered more than \(limit) bytes, more than the gateway keeps", provider: provider)
        } catch {
            throw GatewayError(.upstreamError, "The connection to \(provider.rawValue) broke before a complete answer", provider: provider)
        }
        if status.code >= 400 { body = Masking.mask(body, secrets: secrets) }
        headers[.contentLength] = String(body.readableBytes)
        return (Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body)), body)
    }

    /// Replaces every occurrence of each secret in a body with `***`.
    enum Masking {
        static func mask(_ buffer: ByteBuffer, secrets: [String]) -> ByteBuffer {
            var bytes = Array(buffer: buffer)
            var changed = false
            for secret in secrets where secret.utf8.count >= 4 {
                let needle = Array(secret.utf8)
                var index = 0
                var output: [UInt8] = []
                var found = false
                while index < bytes.count {
                    if bytes[index] == needle[0], index + needle.count <= bytes.count, bytes[index..<(index + needle.count)].elementsEqual(needle) {
                        output += Array("***".utf8)
                        index += needle.count
                        found = true
                    } else {
                        output.append(bytes[index])
                        index += 1
                    }
                }
                if found {
                    bytes = output
                    changed = true
                }
            }
            return changed ? ByteBuffer(bytes: bytes) : buffer
        }
    }
}
