import Logging
import NIOCore
import NIOHTTP1

/// Answers fresh cache hits of canonical reads on the event loop, right after NIO's request decoder:
/// a hit costs no task, no router, no middleware and no conversion to HTTP types, and everything else
/// goes on untouched to ``HTTPFramingGuard`` and Hummingbird. The answer is written through NIO's
/// response encoder, as every answer is, so the encoder's record of which request each answer is for
/// (answers to `HEAD` carry no body) stays right.
///
/// - Pipelining order: a request is answered here only when no earlier request of the connection is
///   still further down (handed on, its answer's end not yet written), so answers leave in the order
///   the requests came. The decision is taken at the request's end: a request whose body parts
///   arrive is handed on whole, with nothing spent.
/// - Idle connections: since Hummingbird's own idle timer would not see the requests answered here,
///   this handler keeps the connection's idle timeout (``IdleTimer``) for every request, answered
///   here or not; Hummingbird's handler still closes connections when the server drains.
final class CacheHitHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let path: CacheHitPath
    /// Requests handed on whose answer's end has not been written yet.
    private var handedOn = 0
    /// A handed-on request's parts are still arriving.
    private var handingOn = false
    /// A head held until its end shows the request has no body, and when it arrived.
    private var held: (head: HTTPRequestHead, arrived: ContinuousClock.Instant)?
    private var unflushed = false
    private var idle: IdleTimer
    private var idleCheck: Scheduled<Void>?

    init(path: CacheHitPath, idleTimeout: Duration?) {
        self.path = path
        self.idle = IdleTimer(timeout: idleTimeout)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { schedule(context, idle.activated(now: .now)) }
    }

    func channelActive(context: ChannelHandlerContext) {
        schedule(context, idle.activated(now: .now))
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        idleCheck?.cancel()
        idleCheck = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        idle.read(part, now: .now)
        switch part {
        case .head(let head):
            if handedOn == 0, !handingOn, held == nil, head.method == .GET {
                held = (head, .now)
                return
            }
            handOn(context, data)
        case .body:
            // Only a request without a body is answered here. (`take()` moves the held head out rather
            // than copying it and releasing the original: a head is an array of header strings.)
            if let held = held.take() {
                handOn(context, wrapInboundOut(.head(held.head)))
            }
            context.fireChannelRead(data)
        case .end:
            guard let held = held.take() else {
                handingOn = false
                return context.fireChannelRead(data)
            }
            guard let hit = path.answer(held.head) else {
                handOn(context, wrapInboundOut(.head(held.head)))
                handingOn = false
                return context.fireChannelRead(data)
            }
            context.write(wrapOutboundOut(.head(hit.head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(hit.body))), promise: nil)
            context.write(wrapOutboundOut(.end(nil)), promise: nil)
            unflushed = true
            schedule(context, idle.answered(now: .now))
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
        if case .end = unwrapOutboundIn(data) {
            handedOn = max(0, handedOn - 1)
            schedule(context, idle.answered(now: .now, inFlight: handedOn > 0))
        }
        context.write(data, promise: promise)
    }

    private func handOn(_ context: ChannelHandlerContext, _ head: NIOAny) {
        handedOn += 1
        handingOn = true
        context.fireChannelRead(head)
    }

    /// Schedules the idle check the timer asked for; when it fires, the timer decides whether to close.
    private func schedule(_ context: ChannelHandlerContext, _ deadline: ContinuousClock.Instant?) {
        guard let deadline else { return }
        let loop = context.eventLoop.assumeIsolatedUnsafeUnchecked()
        idleCheck = loop.scheduleTask(in: .nanoseconds(max(0, (deadline - .now).nanoseconds))) { [self] in
            idleCheck = nil
            switch idle.fired(now: .now, waitingForAnswer: handedOn > 0) {
            case .close: context.close(promise: nil)
            case .rearm(let next): schedule(context, next)
            case .wait: break
            }
        }
    }
}

@available(*, unavailable)
extension CacheHitHandler: Sendable {}
