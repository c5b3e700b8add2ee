import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1 child channel with the gateway's handlers right after NIO's request decoder,
/// where the HTTP version, the request-target's form and every `Host` line are still visible
/// (Hummingbird's `additionalChannelHandlers` sit after its conversion to `HTTPTypes`, where they are
/// gone):
///
///     decoder → CacheHitHandler (when given) → HTTPFramingGuard → Hummingbird
///
/// With the hit path, the connection's idle timeout is kept by ``CacheHitHandler``, which sees every
/// request; Hummingbird's handler then keeps only its part in draining connections at shutdown.
struct GatewayHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel
    /// `Allow` of the `405` a `CONNECT` gets: the methods the gateway serves anywhere.
    let allowedMethods: String
    /// Fresh cache hits answered below the router; nil: every request goes to Hummingbird.
    let hits: CacheHitPath?
    let idleTimeout: Duration?

    /// The server builder for `Application(server:)`.
    static func builder(configuration: HTTP1Channel.Configuration, allowedMethods: String, hits: CacheHitPath?) -> HTTPServerBuilder {
        var hummingbird = configuration
        let idleTimeout = configuration.idleTimeout.map { Duration.nanoseconds($0.nanoseconds) }
        if hits != nil { hummingbird.idleTimeout = nil }
        let configuration = hummingbird
        return HTTPServerBuilder { responder in
            GatewayHTTP1Channel(
                base: HTTP1Channel(responder: responder, configuration: configuration), allowedMethods: allowedMethods, hits: hits,
                idleTimeout: idleTimeout
            )
        }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            try channel.syncOptions?.setOption(ChannelOptions.recvAllocator, value: Self.receiveBuffers)
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(HTTPFramingGuard(allowedMethods: allowedMethods, logger: logger), position: .after(decoder))
            if let hits {
                try pipeline.addHandler(CacheHitHandler(path: hits, idleTimeout: idleTimeout), position: .after(decoder))
            }
            return value
        }
    }

    /// NIO keeps each connection's last receive buffer for the next read, so an idle connection holds
    /// one buffer of the size its allocator would use next. NIO's default starts at 2 KiB; a request of
    /// this API (a head with a bearer key, a small JSON body) fits in 1 KiB, and a larger one grows
    /// the buffer as NIO's adaptive allocator does (up to 64 KiB per read).
    static let receiveBuffers = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 1024, maximum: 65536)

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
