import Foundation
import NIOCore

/// Answers a connection the server will not hold (`ConnectionCounter` refused it) with a `503`
/// as soon as it is accepted, without waiting for its request, and closes it. The sending side is
/// shut first and what the client sends is read and dropped until it closes or `linger` passes,
/// so that the client reads the answer instead of a reset; with no linger (no room left to hold
/// refused connections) it is closed right after the answer is written.
final class ConnectionRefusal: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    /// The problem details sent (RFC 9457), in Vietnamese and English: the request's language is
    /// not read before refusing.
    static let answer: String = {
        let body = """
            {"type":"about:blank","title":"Service Unavailable","status":503,\
            "detail":"Máy chủ đang phục vụ số kết nối tối đa; vui lòng thử lại sau ít giây. \
            The server holds as many connections as it may; try again in a few seconds."}
            """
        return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json; charset=utf-8\r\n"
            + "Retry-After: 5\r\nCache-Control: no-store\r\nConnection: close\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }()

    private let linger: TimeAmount?
    private var answered = false
    private var timer: Scheduled<Void>?

    init(linger: TimeAmount?) {
        self.linger = linger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { answer(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        answer(context: context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // The request is dropped unread (the answer is the same whatever it asks), and nothing
        // is passed on to the router.
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The client shut its side, having read the answer.
        if case ChannelEvent.inputClosed = event { context.close(promise: nil) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func answer(context: ChannelHandlerContext) {
        guard !answered else { return }
        answered = true
        var buffer = context.channel.allocator.buffer(capacity: Self.answer.utf8.count)
        buffer.writeString(Self.answer)
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(NIOAny(buffer), promise: written)
        guard let linger else {
            written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            return
        }
        written.futureResult.assumeIsolated().whenComplete { _ in context.close(mode: .output, promise: nil) }
        timer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: linger) {
            context.close(promise: nil)
        }
    }
}
