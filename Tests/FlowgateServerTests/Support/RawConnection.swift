import Foundation
import NIOCore
import NIOPosix

/// A TCP connection that sends bytes exactly as written, for requests no HTTP client would send
/// (broken framing, `CONNECT`, two `Host` lines). Every read is bounded by a timeout scheduled on the
/// connection's event loop, so a test never waits on a socket without end.
///
/// ```swift
/// var connection = try await RawConnection.connect(port: port)
/// try await connection.send("GET /healthz HTTP/1.0\r\n\r\n")
/// let (text, closed) = await connection.readToEOF()
/// ```
struct RawConnection {
    enum Event: Sendable {
        case bytes(ByteBuffer)
        case eof
        case timeout(Int)
    }

    let channel: any Channel
    private let continuation: AsyncStream<Event>.Continuation
    private var events: AsyncStream<Event>.AsyncIterator
    /// Everything read so far.
    private(set) var received = ""
    private(set) var sawEOF = false
    private var timeouts = 0

    static func connect(port: Int) async throws -> RawConnection {
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Collector(continuation)) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawConnection(channel: channel, continuation: continuation, events: stream.makeAsyncIterator())
    }

    func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text)).get()
    }

    /// Half-closes: the server reads end-of-stream, the connection stays open for its answer.
    func closeOutput() async throws {
        try await channel.close(mode: .output).get()
    }

    func close() async {
        try? await channel.close().get()
    }

    /// Reads until `done` holds for everything read so far, the server closes, or `timeout` passes.
    @discardableResult
    mutating func read(until done: (String) -> Bool, timeout: TimeAmount = .seconds(10)) async -> String {
        timeouts += 1
        let id = timeouts
        let continuation = self.continuation
        let timer = channel.eventLoop.scheduleTask(in: timeout) { continuation.yield(.timeout(id)) }
        defer { timer.cancel() }
        while !done(received), !sawEOF, let event = await events.next() {
            switch event {
            case .bytes(let buffer): received += String(buffer: buffer)
            case .eof: sawEOF = true
            case .timeout(let fired): if fired == id { return received }
            }
        }
        return received
    }

    /// Reads until the server closes (`closed`) or `timeout` passes (not `closed`).
    mutating func readToEOF(timeout: TimeAmount = .seconds(10)) async -> (text: String, closed: Bool) {
        let text = await read(until: { _ in false }, timeout: timeout)
        return (text, sawEOF)
    }

    /// Passes what arrives to the test as events.
    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let continuation: AsyncStream<Event>.Continuation

        init(_ continuation: AsyncStream<Event>.Continuation) { self.continuation = continuation }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            continuation.yield(.bytes(unwrapInboundIn(data)))
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case ChannelEvent.inputClosed = event { continuation.yield(.eof) }
            context.fireUserInboundEventTriggered(event)
        }

        func channelInactive(context: ChannelHandlerContext) {
            continuation.yield(.eof)
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            // A reset after the answer: the connection is over either way.
            continuation.yield(.eof)
        }
    }
}

/// One HTTP/1 response as read off the wire.
struct RawResponse {
    let statusLine: String
    let headers: [(name: String, value: String)]
    let body: String

    /// The first complete response in `text` (framed by `Content-Length`, or its head alone for an
    /// answer to `HEAD`), or nil.
    init?(_ text: String, headOnly: Bool = false) {
        guard let end = text.range(of: "\r\n\r\n") else { return nil }
        let lines = text[..<end.lowerBound].components(separatedBy: "\r\n")
        statusLine = lines.first ?? ""
        headers = lines.dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]).lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let rest = Array(text[end.upperBound...].utf8)
        let length = headOnly ? 0 : headers.first { $0.name == "content-length" }.flatMap { Int($0.value) } ?? rest.count
        guard rest.count >= length else { return nil }
        body = String(decoding: rest.prefix(length), as: UTF8.self)
    }

    func header(_ name: String) -> String? { headers.first { $0.name == name.lowercased() }?.value }

    /// Whether `text` holds a complete response yet.
    static func isComplete(_ text: String) -> Bool { RawResponse(text) != nil }
}
