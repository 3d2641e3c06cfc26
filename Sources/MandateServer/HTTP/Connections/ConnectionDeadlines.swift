import NIOCore
import NIOHTTP1

/// Closes a connection whose client overstays a timeout of `ConnectionPolicy`: idle between
/// requests, slow to send a request's head, pausing inside its body, or not reading an answer.
/// It sits right after NIO's HTTP/1 decoder, so that it sees every request part and every
/// answer part, the edge's included; its `BytesWatch`, placed before the decoder, tells it when
/// bytes arrive that the decoder has not made into a part yet (a head sent a byte at a time).
///
/// One timer per connection, moved only when the deadline comes earlier; when it fires and the
/// deadline has moved later, it is set again for the new one.
final class ConnectionDeadlines: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let policy: ConnectionPolicy
    private var state = ConnectionState(phase: .waiting(since: .now()))
    private var timer: (at: NIODeadline, task: Scheduled<Void>)?
    private var context: ChannelHandlerContext?

    init(policy: ConnectionPolicy) {
        self.policy = policy
    }

    /// The handler that reports raw bytes to this one; place it before the HTTP decoder.
    func bytesWatch() -> BytesWatch { BytesWatch(deadlines: self) }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        state = ConnectionState(phase: .waiting(since: .now()))
        rearm()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.task.cancel()
        timer = nil
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: state.headRead(at: .now())
        case .body: break
        case .end: state.requestRead(at: .now())
        }
        rearm()
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            state.answerWritten(at: .now())
            rearm()
        }
        context.write(data, promise: promise)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        state.writabilityChanged(writable: context.channel.isWritable, at: .now())
        rearm()
        context.fireChannelWritabilityChanged()
    }

    fileprivate func bytesArrived() {
        state.bytesArrived(at: .now())
        rearm()
    }

    /// Sets the timer for the current deadline if there is none or it would fire too late.
    private func rearm() {
        guard let context, let deadline = state.deadline(policy) else { return }
        if let timer, timer.at <= deadline { return }
        timer?.task.cancel()
        let task = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: deadline) {
            [weak self] in
            guard let self else { return }
            self.fire()
        }
        timer = (deadline, task)
    }

    private func fire() {
        timer = nil
        guard let context else { return }
        if let deadline = state.deadline(policy), deadline <= .now() {
            context.close(promise: nil)
        } else {
            rearm()
        }
    }
}

/// Tells `ConnectionDeadlines` that bytes arrived, before the HTTP decoder makes parts of them.
final class BytesWatch: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let deadlines: ConnectionDeadlines

    fileprivate init(deadlines: ConnectionDeadlines) {
        self.deadlines = deadlines
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        deadlines.bytesArrived()
        context.fireChannelRead(data)
    }
}
