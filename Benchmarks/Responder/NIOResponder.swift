import NIOCore
import NIOHTTP1
import NIOPosix

/// `bench-responder --nio`: NIO's HTTP/1 server pipeline with one handler that answers every request
/// with the same bytes on the event loop. No Swift task exists per connection or request, so an idle
/// connection holds only the channel, its pipeline and handlers, and the receive buffer: the floor below
/// any server that keeps a task per connection, as Hummingbird 2 does.
enum NIOResponder {
    static func serve(_ bytes: ByteBuffer, port: Int) async throws {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // The gateway's receive buffers (`GatewayHTTP1Channel.receiveBuffers`), so the idle figures
            // compare like with like.
            .childChannelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 1024, maximum: 65536))
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(BytesHandler(bytes: bytes))
                }
            }
            .bind(host: "127.0.0.1", port: port).get()
        try await channel.closeFuture.get()
    }

    private final class BytesHandler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let bytes: ByteBuffer
        private var keepAlive = true

        init(bytes: ByteBuffer) { self.bytes = bytes }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                keepAlive = head.isKeepAlive
            case .body:
                break
            case .end:
                var headers = HTTPHeaders()
                headers.add(name: "content-type", value: "application/json; charset=utf-8")
                headers.add(name: "content-length", value: String(bytes.readableBytes))
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(bytes))), promise: nil)
                guard !keepAlive else {
                    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                    return
                }
                let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
                context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in bound.value.close(promise: nil) }
            }
        }
    }
}
