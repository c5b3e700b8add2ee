import HTTPTypes
import Hummingbird
import NIOCore

/// File downloads, always streamed: a generated file is made one 64 KiB chunk at a time as the client
/// reads, so a 100 MB download costs the emulator one chunk of memory, not 100 MB.
enum WorkingflowFileBody {
    static let chunkSize = 64 * 1024

    /// The bytes every generated chunk starts from: fixed, noisy-looking, compressible by nobody.
    private static let pattern: ByteBuffer = {
        var state: UInt32 = 0x1234_5678
        var buffer = ByteBuffer()
        buffer.reserveCapacity(chunkSize)
        for _ in 0..<chunkSize {
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            buffer.writeInteger(UInt8(truncatingIfNeeded: state))
        }
        return buffer
    }()

    /// Chunk `index` of a generated file: the pattern with the chunk's index in its first 8 bytes
    /// (big-endian), so a gateway that drops, repeats or reorders chunks changes the bytes.
    static func generatedChunk(_ index: Int, length: Int) -> ByteBuffer {
        var chunk = pattern.getSlice(at: 0, length: min(length, chunkSize)) ?? pattern
        if chunk.readableBytes >= 8 { chunk.setInteger(UInt64(index), at: chunk.readerIndex) }
        return chunk
    }

    /// The download: the file's own content type, `attachment` with the original name, and its length.
    static func response(for file: WorkingflowFile) -> Response {
        var headers: HTTPFields = [.contentType: file.contentType]
        headers[.contentDisposition] = "attachment; filename=\"\(file.originalName)\""
        // ResponseBody(contentLength:) also sets Content-Length, so clients can see the size up front.
        return Response(status: .ok, headers: headers, body: body(for: file))
    }

    static func body(for file: WorkingflowFile) -> ResponseBody {
        switch file.content {
        case .bytes(let bytes):
            return ResponseBody(contentLength: bytes.count) { writer in
                var offset = 0
                while offset < bytes.count {
                    let end = min(offset + chunkSize, bytes.count)
                    try await writer.write(ByteBuffer(bytes: bytes[offset..<end]))
                    offset = end
                }
                try await writer.finish(nil)
            }
        case .generated(let size):
            return ResponseBody(contentLength: size) { writer in
                var offset = 0
                var index = 0
                while offset < size {
                    let length = min(chunkSize, size - offset)
                    try await writer.write(generatedChunk(index, length: length))
                    offset += length
                    index += 1
                }
                try await writer.finish(nil)
            }
        }
    }

    /// Content type by extension. [GAP] the real value is undocumented; [INF] a Spring app guesses it from
    /// the name this way (`MediaTypeFactory`), falling back to octet-stream.
    static func contentType(forName name: String) -> String {
        let types = [
            "pdf": "application/pdf", "csv": "text/csv", "json": "application/json", "png": "image/png", "jpg": "image/jpeg",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "zip": "application/zip", "txt": "text/plain",
        ]
        let fileExtension = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
        return types[fileExtension] ?? "application/octet-stream"
    }
}
