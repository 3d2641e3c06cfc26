import MandateCore
import NIOCore
import NIOHTTP1

/// Applies `ForwardedClient` to every request of a connection, before the edge and the router
/// see it: from a peer that is not a trusted proxy, `X-Forwarded-For`, `X-Forwarded-Proto`,
/// `X-Forwarded-Host` and `Forwarded` are removed; from a trusted proxy, `X-Forwarded-For` is
/// replaced by the one client address it stands for. Downstream, a request's `X-Forwarded-*`
/// headers can therefore be read as they are (`Request.clientAddress`, `Request.isSecure`, the
/// edge's key): every connection of the server goes through this handler (`EdgeHTTP1Channel`).
final class ForwardedHeaders: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    private let peer: String
    private let trusted: Set<String>
    private let believed: Bool

    init(peer: String, trusted: Set<String>) {
        self.peer = peer
        self.trusted = trusted
        self.believed = ForwardedClient.believes(peer: peer, trusted: trusted)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        if believed {
            let forwardedFor = head.headers["x-forwarded-for"]
            if !forwardedFor.isEmpty {
                head.headers.replaceOrAdd(
                    name: "X-Forwarded-For",
                    value: ForwardedClient.address(peer: peer, forwardedFor: forwardedFor, trusted: trusted))
            }
        } else {
            guard Self.names.contains(where: { head.headers.contains(name: $0) }) else {
                context.fireChannelRead(data)
                return
            }
            for name in Self.names { head.headers.remove(name: name) }
        }
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }

    static let names = ["x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "forwarded"]
}
