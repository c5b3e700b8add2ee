import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers fresh cache hits of canonical reads on the event loop, as the last handler before
/// Hummingbird's: a hit costs no task, no router and no middleware, and everything else goes on to
/// Hummingbird untouched. It sits after every handler that frames and accounts for requests
/// (``HTTPFramingGuard``, the HTTP/1 → HTTP types codec, Hummingbird's idle-timeout and drain
/// handler), so a hit is read, timed out, drained and written exactly as a routed request is.
///
/// Pipelining order: a request is answered here only when no earlier request of the connection is
/// still with Hummingbird (handed on, its answer not yet written), so answers leave in the order the
/// requests came. The decision is taken at the request's end: a request whose body parts arrive is
/// handed on whole, with nothing spent.
final class CacheHitHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let path: CacheHitPath
    /// Requests handed on whose answer's end has not been written yet.
    private var handedOn = 0
    /// A handed-on request's parts are still arriving.
    private var handingOn = false
    /// A head held until its end shows the request has no body, and when it arrived.
    private var held: (head: HTTPRequest, arrived: ContinuousClock.Instant)?
    private var unflushed = false

    init(path: CacheHitPath) {
        self.path = path
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if handedOn == 0, !handingOn, held == nil, head.method == .get {
                held = (head, .now)
                return
            }
            handOn(context, data)
        case .body:
            if let held {
                // Only a request without a body is answered here.
                self.held = nil
                handOn(context, wrapInboundOut(.head(held.head)))
            }
            context.fireChannelRead(data)
        case .end:
            guard let held else {
                handingOn = false
                return context.fireChannelRead(data)
            }
            self.held = nil
            guard let hit = path.answer(held.head) else {
                handOn(context, wrapInboundOut(.head(held.head)))
                handingOn = false
                return context.fireChannelRead(data)
            }
            context.write(wrapOutboundOut(.head(hit.head)), promise: nil)
            context.write(wrapOutboundOut(.body(hit.body)), promise: nil)
            context.write(wrapOutboundOut(.end(nil)), promise: nil)
            unflushed = true
            path.record(hit, elapsed: .now - held.arrived)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if unflushed {
            unflushed = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { handedOn = max(0, handedOn - 1) }
        context.write(data, promise: promise)
    }

    private func handOn(_ context: ChannelHandlerContext, _ head: NIOAny) {
        handedOn += 1
        handingOn = true
        context.fireChannelRead(head)
    }
}

@available(*, unavailable)
extension CacheHitHandler: Sendable {}
