import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1 child channel, with the edge cache's handler placed right after NIO's
/// HTTP/1 codec. Hummingbird's own `HTTP1Channel` adds extra handlers only after its conversion
/// to HTTP types, where every answer would pay for converting back.
///
/// Each new connection is first counted (`ConnectionCounter`): one beyond a cap is answered 503
/// (`ConnectionRefusal`) and never reaches the router; one that is held is watched by
/// `ConnectionDeadlines`.
struct EdgeHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    /// Makes the edge handler of a new connection.
    let edgeHandler: @Sendable () -> EdgeCacheHandler
    let connections: ConnectionCounter
    /// Proxies whose `X-Forwarded-*` headers are believed (`ForwardedHeaders`).
    let trustedProxies: Set<String>

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            let client = channel.remoteAddress?.ipAddress ?? ""
            let counter = connections
            switch counter.admit(client) {
            case .admitted:
                channel.closeFuture.whenComplete { _ in counter.release(client) }
            case .refused:
                channel.closeFuture.whenComplete { _ in counter.releaseRefusal() }
                return try refusing(channel, linger: .milliseconds(500))
            case .dropped:
                return try refusing(channel, linger: nil)
            }
            let deadlines = ConnectionDeadlines(policy: counter.policy)
            try pipeline.addHandler(deadlines.bytesWatch())
            let decoder = HTTP1Channel.Configuration().httpDecoder
            var limits = NIOHTTPDecoderLimitConfiguration()
            limits.maxHeaderFieldSize = decoder.maxHeaderFieldSize
            limits.maxHeaderListSize = decoder.maxHeaderListSize
            limits.maxHeaderFieldCount = decoder.maxHeaderFieldCount
            // As HTTP1Channel configures it: NIOAsyncChannel keeps the requests in order,
            // Hummingbird handles errors and HTTP types validate the headers.
            try pipeline.configureHTTPServerPipeline(
                withPipeliningAssistance: false, withErrorHandling: false, withOutboundHeaderValidation: false,
                withEncoderConfiguration: .init(), withDecoderLimitConfiguration: limits)
            try pipeline.addHandler(deadlines)
            try pipeline.addHandler(ForwardedHeaders(peer: client, trusted: trustedProxies))
            try pipeline.addHandler(edgeHandler())
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try pipeline.addHandler(HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
            return try NIOAsyncChannel(
                wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    /// A refused connection's pipeline: `ConnectionRefusal` answers and closes it and passes
    /// nothing on, so the router never sees it. It is still wrapped and handed to Hummingbird
    /// like any other (whose handling ends when it closes): a failed setup would leave the
    /// accepted socket unregistered, never read, written or closed.
    private func refusing(_ channel: any Channel, linger: TimeAmount?) throws -> Value {
        try channel.pipeline.syncOperations.addHandler(ConnectionRefusal(linger: linger))
        return try NIOAsyncChannel(
            wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with the edge cache in front of the router.
    static func http1(
        edge: @escaping @Sendable () -> EdgeCacheHandler, connections: ConnectionPolicy, trustedProxies: Set<String>
    ) -> HTTPServerBuilder {
        let counter = ConnectionCounter(policy: connections)
        return .init { responder in
            EdgeHTTP1Channel(
                responder: responder, edgeHandler: edge, connections: counter, trustedProxies: trustedProxies)
        }
    }
}
