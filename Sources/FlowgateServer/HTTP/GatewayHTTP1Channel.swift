import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1 child channel with ``HTTPFramingGuard`` installed right after NIO's request
/// decoder. Hummingbird's `additionalChannelHandlers` sit after its conversion to `HTTPTypes`, where
/// the HTTP version, the request-target's form and all but the first `Host` line are already gone.
struct GatewayHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel
    /// `Allow` of the `405` a `CONNECT` gets: the methods the gateway serves anywhere.
    let allowedMethods: String

    /// The server builder for `Application(server:)`.
    static func builder(configuration: HTTP1Channel.Configuration, allowedMethods: String) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            GatewayHTTP1Channel(base: HTTP1Channel(responder: responder, configuration: configuration), allowedMethods: allowedMethods)
        }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(HTTPFramingGuard(allowedMethods: allowedMethods, logger: logger), position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
