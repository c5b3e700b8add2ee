import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1 child channel with ``HTTPFramingGuard`` installed right after NIO's request
/// decoder — Hummingbird's `additionalChannelHandlers` sit after its conversion to `HTTPTypes`, where
/// the HTTP version, the request-target's form and all but the first `Host` line are already gone —
/// and, when given, the hit path (``CacheHitHandler``) as the last handler before Hummingbird's.
struct GatewayHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel
    /// `Allow` of the `405` a `CONNECT` gets: the methods the gateway serves anywhere.
    let allowedMethods: String
    /// Fresh cache hits answered below the router; nil: every request goes to Hummingbird.
    let hits: CacheHitPath?

    /// The server builder for `Application(server:)`.
    static func builder(configuration: HTTP1Channel.Configuration, allowedMethods: String, hits: CacheHitPath?) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            GatewayHTTP1Channel(base: HTTP1Channel(responder: responder, configuration: configuration), allowedMethods: allowedMethods, hits: hits)
        }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(HTTPFramingGuard(allowedMethods: allowedMethods, logger: logger), position: .after(decoder))
            if let hits {
                let lifecycle = try pipeline.handler(type: HTTPConnectionStateHandler.self)
                try pipeline.addHandler(CacheHitHandler(path: hits), position: .after(lifecycle))
            }
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
