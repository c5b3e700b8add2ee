import FlowgateCore
import NIOCore

/// A refusal written as bytes, for the answers ``HTTPFramingGuard`` gives before any request reaches
/// the router: a complete HTTP/1.1 response with the canonical error envelope, `Content-Length` and
/// `Connection: close`.
///
/// Written as bytes rather than through NIO's `HTTPResponseEncoder` because the encoder frames every
/// answer to a `CONNECT` as bodiless (it strips `Content-Length` and drops the body, as a `2xx` tunnel
/// answer must be) — which left the client of a refused `CONNECT` waiting for a body delimited by a
/// close that never came. A `4xx` answer to `CONNECT` may carry a body (RFC 9110 §9.3.6 restricts only
/// `2xx`), so this one does, framed by its length.
enum RefusalResponse {
    static func bytes(_ refusal: RequestHeadCheck.Refusal, requestID: String) -> ByteBuffer {
        let status = refusal.error.status
        let body = (try? CanonicalJSON.bytes(refusal.error.envelope(requestID: requestID))) ?? []
        var head = "HTTP/1.1 \(status) \(reason(status))\r\n"
        head += "Content-Type: \(JSONResponse.contentType)\r\n"
        head += "Content-Length: \(body.count)\r\n"
        head += "Connection: close\r\n"
        head += "X-Request-Id: \(requestID)\r\n"
        for header in refusal.headers { head += "\(header.name): \(header.value)\r\n" }
        head += "\r\n"
        var buffer = ByteBuffer(string: head)
        buffer.writeBytes(body)
        return buffer
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 400: "Bad Request"
        case 405: "Method Not Allowed"
        case 414: "URI Too Long"
        default: "Error"
        }
    }
}
