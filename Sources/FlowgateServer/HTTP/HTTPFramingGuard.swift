import FlowgateCore
import Logging
import NIOCore
import NIOHTTP1

/// Sits right after NIO's HTTP/1 decoder, where the request's version, target form and every header
/// line are still visible, and keeps what reaches Hummingbird well-framed:
///
/// - a head ``RequestHeadCheck`` refuses (`CONNECT`, a target that is not a path, a missing or
///   repeated `Host`) and bytes the decoder cannot parse between requests are answered here, in the
///   canonical envelope (``RefusalResponse``), after any earlier answer on the connection; the
///   connection then closes — output first, so the answer is not lost to a reset, input after the
///   client closes or ``lingerTime`` passes;
/// - a request that must not keep the connection open (HTTP/1.0, `Connection: close` in any
///   spelling) reaches Hummingbird with exactly `Connection: close`, the one spelling it acts on, and
///   its answer carries `Connection: close` and the request's HTTP version (a 1.0 client cannot read
///   a chunked body), so the connection closes after it;
/// - a decoder error inside a request's body goes on to the handler reading it (which answers `400`,
///   see ``ErrorMapping``), and that answer closes the connection.
final class HTTPFramingGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// How long a refused connection keeps draining input before it is closed anyway.
    static let lingerTime = TimeAmount.seconds(2)

    /// What an answer on this connection must do, per request passed on, oldest first.
    private struct Answer {
        var closes: Bool
        var isHTTP10: Bool
    }

    private let allowedMethods: String
    private let logger: Logger
    private var answers: [Answer] = []
    /// A head was passed on and its end not yet read.
    private var readingRequest = false
    /// Nothing more is passed on: the last request closes the connection, or a refusal is pending or sent.
    private var stopped = false
    private var pendingRefusal: RequestHeadCheck.Refusal?
    private var refused = false

    init(allowedMethods: String, logger: Logger) {
        self.allowedMethods = allowedMethods
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !stopped else { return }
        switch unwrapInboundIn(data) {
        case .head(var head):
            if let refusal = RequestHeadCheck.refusal(of: head, allowedMethods: allowedMethods) {
                refuse(refusal, context: context)
                return
            }
            let closes = RequestHeadCheck.closesAfterAnswer(head)
            if closes { head.headers.replaceOrAdd(name: "connection", value: "close") }
            answers.append(Answer(closes: closes, isHTTP10: RequestHeadCheck.predatesHTTP11(head.version)))
            readingRequest = true
            context.fireChannelRead(wrapInboundOut(.head(head)))
        case .body(let body):
            context.fireChannelRead(wrapInboundOut(.body(body)))
        case .end(let trailers):
            readingRequest = false
            if answers.last?.closes == true { stopped = true }
            context.fireChannelRead(wrapInboundOut(.end(trailers)))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parseError = error as? HTTPParserError else { return context.fireErrorCaught(error) }
        if refused || pendingRefusal != nil { return }
        if readingRequest {
            stopped = true
            readingRequest = false
            if answers.isEmpty {
                // The request was answered before its body broke: nothing more to say.
                refused = true
                closeAfterLinger(context, written: context.eventLoop.makeSucceededVoidFuture())
            } else {
                // The handler reading the body learns of it and answers 400; that answer closes.
                answers[answers.count - 1].closes = true
                context.fireErrorCaught(error)
            }
            return
        }
        refuse(RequestHeadCheck.malformed(parseError), context: context)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head):
            if let answer = answers.first {
                if answer.closes { head.headers.replaceOrAdd(name: "connection", value: "close") }
                if answer.isHTTP10 { head.version = .http1_0 }
            }
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            context.write(data, promise: promise)
            if !answers.isEmpty { answers.removeFirst() }
            if answers.isEmpty, let refusal = pendingRefusal {
                pendingRefusal = nil
                context.flush()
                send(refusal, context: context)
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if refused, case ChannelEvent.inputClosed = event {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Stops passing anything on and answers `refusal` once every earlier request is answered.
    private func refuse(_ refusal: RequestHeadCheck.Refusal, context: ChannelHandlerContext) {
        stopped = true
        readingRequest = false
        if answers.isEmpty {
            send(refusal, context: context)
        } else {
            pendingRefusal = refusal
        }
    }

    private func send(_ refusal: RequestHeadCheck.Refusal, context: ChannelHandlerContext) {
        refused = true
        let requestID = RequestID.make()
        logger.info(
            "request refused before routing",
            metadata: ["hb.request.id": "\(requestID)", "http.status": "\(refusal.error.status)", "error.code": "\(refusal.error.code)"]
        )
        let channel = context.channel
        guard let encoder = try? context.pipeline.syncOperations.context(handlerType: HTTPResponseEncoder.self) else {
            channel.close(promise: nil)
            return
        }
        // Written from the encoder's place in the pipeline, so the bytes go to the socket as they are.
        let written = context.eventLoop.makePromise(of: Void.self)
        encoder.writeAndFlush(NIOAny(RefusalResponse.bytes(refusal, requestID: requestID)), promise: written)
        closeAfterLinger(context, written: written.futureResult)
    }

    /// Closes output once `written` completes, then the whole connection when the client closes its
    /// side or ``lingerTime`` passes: closing at once with unread input would reset the connection
    /// and could destroy the answer before the client read it.
    private func closeAfterLinger(_ context: ChannelHandlerContext, written: EventLoopFuture<Void>) {
        let channel = context.channel
        written.whenComplete { _ in channel.close(mode: .output, promise: nil) }
        context.eventLoop.scheduleTask(in: Self.lingerTime) { channel.close(promise: nil) }
    }
}

@available(*, unavailable)
extension HTTPFramingGuard: Sendable {}
