import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The JSON answer of the envelope-writing emulators (Geotareas, Cloudflare): keys in the encoder's own
/// order, slashes unescaped, `Content-Type: application/json`, and a bare 500 if encoding ever fails.
/// Bitrix24 and Workingflow write theirs differently (sorted keys, their own fallback bodies) and keep them.
enum EmulatorJSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return Response(status: .internalServerError) }
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
