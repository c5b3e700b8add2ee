import HTTPTypes
import Hummingbird
import NIOCore
import NIOPosix

/// Applies the faults an emulator currently shows to each request. Control routes (`/_emulator/…`)
/// are never faulted, so a test can always switch faults off again.
struct FaultMiddleware: RouterMiddleware {
    typealias Context = EmulatorRequestContext
    let faults: FaultInjector
    /// Renders a forced error in the emulator's own envelope.
    let renderError: @Sendable (_ status: Int, _ code: String) -> Response

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !request.uri.path.hasPrefix(EmulatorControl.prefix) else { return try await next(request, context) }
        var slowBody: (chunkBytes: Int, interval: Duration)?
        for kind in faults.take(for: request.uri.path) {
            switch kind {
            case .latency(let delay):
                try await Task.sleep(for: delay)
            case .error(let status, let code, let retryAfter):
                var response = renderError(status, code)
                if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
                return response
            case .reset:
                // SO_LINGER 0 makes close() send RST: the client sees a reset, not a clean end.
                try? await (context.channel as? any SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
                context.channel.close(promise: nil)
                throw CancellationError()
            case .slowBody(let chunkBytes, let interval):
                slowBody = (chunkBytes, interval)
            case .hugeBody(let bytes):
                return Self.hugeBody(bytes: bytes)
            }
        }
        let response = try await next(request, context)
        guard let slowBody else { return response }
        return try await Self.trickle(response, chunkBytes: max(1, slowBody.chunkBytes), interval: slowBody.interval)
    }

    /// The same answer, its body sent a piece at a time.
    private static func trickle(_ response: Response, chunkBytes: Int, interval: Duration) async throws -> Response {
        var result = response
        let original = response.body
        result.body = .init(contentLength: original.contentLength) { writer in
            try await original.write(TricklingWriter(base: writer, chunkBytes: chunkBytes, interval: interval))
        }
        return result
    }

    private static func hugeBody(bytes: Int) -> Response {
        // `{"pad":"` and `"}` frame the padding: 10 bytes.
        let padding = max(0, bytes - 10)
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(contentLength: padding + 10) { writer in
                try await writer.write(ByteBuffer(string: #"{"pad":""#))
                let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 64 * 1024)
                var left = padding
                while left > 0 {
                    let size = min(left, chunk.readableBytes)
                    try await writer.write(chunk.getSlice(at: 0, length: size) ?? chunk)
                    left -= size
                }
                try await writer.write(ByteBuffer(string: #""}"#))
                try await writer.finish(nil)
            }
        )
    }
}

/// Passes a body on in small pieces with a pause between them.
private struct TricklingWriter: ResponseBodyWriter {
    var base: any ResponseBodyWriter
    let chunkBytes: Int
    let interval: Duration

    mutating func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        while let piece = buffer.readSlice(length: min(chunkBytes, buffer.readableBytes)), piece.readableBytes > 0 {
            try await base.write(piece)
            if buffer.readableBytes > 0 { try await Task.sleep(for: interval) }
        }
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        try await base.finish(trailingHeaders)
    }
}
