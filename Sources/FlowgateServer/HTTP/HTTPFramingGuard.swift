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
    /// Nothing read is passed on any more: the last request closes the connection, or one was refused.
    private var inputStopped = false
    /// Nothing more is written: the answer that closes the connection, or a refusal, went out.
    private var outputDone = false
    /// That last write, which the connection's close waits for.
    private var lastWrite: EventLoopFuture<Void>?
    private var pendingRefusal: RequestHeadCheck.Refusal?

    init(allowedMethods: String, logger: Logger) {
        self.allowedMethods = allowedMethods
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !inputStopped else { return }
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
            if answers.last?.closes == true { inputStopped = true }
            context.fireChannelRead(wrapInboundOut(.end(trailers)))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parseError = error as? HTTPParserError else { return context.fireErrorCaught(error) }
        if readingRequest {
            inputStopped = true
            readingRequest = false
            if answers.isEmpty {
                // The request was answered before its body broke: nothing more to say.
                outputDone = true
                closeAfterLinger(context, written: context.eventLoop.makeSucceededVoidFuture())
            } else {
                // The handler reading the body learns of it and answers 400; that answer closes.
                answers[answers.count - 1].closes = true
                context.fireErrorCaught(error)
            }
        } else if !inputStopped {
            refuse(RequestHeadCheck.malformed(parseError), context: context)
        }
        // Otherwise the connection is closing already: what follows a closing request or a refusal is ignored.
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard !outputDone else {
            promise?.fail(ChannelError.outputClosed)
            return
        }
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
            let answer = answers.isEmpty ? nil : answers.removeFirst()
            guard answer?.closes == true else {
                context.write(data, promise: promise)
                if answers.isEmpty, let refusal = pendingRefusal {
                    pendingRefusal = nil
                    context.flush()
                    send(refusal, context: context)
                }
                return
            }
            // The answer that closes the connection: nothing is written after it.
            let written = context.eventLoop.makePromise(of: Void.self)
            written.futureResult.cascade(to: promise)
            context.write(data, promise: written)
            outputDone = true
            pendingRefusal = nil
            closeAfterLinger(context, written: written.futureResult)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if outputDone, case ChannelEvent.inputClosed = event {
            // The client has read what it wanted and closed its side: close ours once the last write is out.
            let channel = context.channel
            (lastWrite ?? context.eventLoop.makeSucceededVoidFuture()).whenComplete { _ in channel.close(promise: nil) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Stops passing anything on and answers `refusal` once every earlier request is answered.
    private func refuse(_ refusal: RequestHeadCheck.Refusal, context: ChannelHandlerContext) {
        inputStopped = true
        readingRequest = false
        if answers.isEmpty {
            send(refusal, context: context)
        } else {
            pendingRefusal = refusal
        }
    }

    private func send(_ refusal: RequestHeadCheck.Refusal, context: ChannelHandlerContext) {
        outputDone = true
        let requestID = RequestID.make()
        logger.info(
            "request refused before routing",
            metadata: ["hb.request.id": "\(requestID)", "http.status": "\(refusal.error.status)", "error.code": "\(refusal.error.code)"]
        )
        guard let encoder = try? context.pipeline.syncOperations.context(handlerType: HTTPResponseEncoder.self) else {
            context.close(promise: nil)
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
        lastWrite = written
        let channel = context.channel
        written.whenComplete { _ in channel.close(mode: .output, promise: nil) }
        context.eventLoop.scheduleTask(in: Self.lingerTime) { channel.close(promise: nil) }
    }
}

@available(*, unavailable)
extension HTTPFramingGuard: Sendable {}
