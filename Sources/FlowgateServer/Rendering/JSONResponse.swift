import FlowgateCore
import Foundation
import Hummingbird
import NIOCore

/// Canonical JSON answers: the one encoder, the one content type.
enum JSONResponse {
    static let contentType = "application/json; charset=utf-8"

    static func make(_ status: HTTPResponse.Status, _ value: some Encodable, headers: HTTPFields = [:]) throws -> Response {
        var headers = headers
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: try body(value)))
    }

    /// The canonical bytes of `value`.
    static func body(_ value: some Encodable) throws -> ByteBuffer {
        ByteBuffer(bytes: try CanonicalJSON.bytes(value))
    }
}
