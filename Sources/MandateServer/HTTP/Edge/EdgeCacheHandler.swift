import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// Answers, in the connection's channel pipeline, the requests `EdgeCache` holds an answer for;
/// every other request goes on to the router unchanged. One handler per connection, right after
/// NIO's HTTP/1 codec and before the conversion to Hummingbird's HTTP types (`EdgeHTTP1Channel`),
/// so that an answer from here costs no conversion either way.
///
/// An answer from here carries what the router's would: the kept headers, a fresh `Date` and
/// `X-Request-Id`, 304 to a matching `If-None-Match`; it is counted in the request metrics under
/// the route that produced it, and logged as the router logs requests.
///
/// HTTP/1 answers go out in the order the requests came in. While a request that went on to the
/// router has not been answered, the requests after it go on too (none is answered out of turn).
final class EdgeCacheHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let edge: EdgeCache
    private let metrics: HTTPMetrics
    private let logger: Logger
    private let dates: HTTPDates

    /// Requests passed on to the router whose answer has not ended yet.
    private var passedOn = 0
    /// The request being answered from the edge, once its end arrives.
    private var answering: (entry: EdgeCache.Entry, request: HTTPRequestHead, start: ContinuousClock.Instant)?
    /// Set when the server begins a graceful shutdown: from then on the router answers, so that
    /// Hummingbird closes each connection once it is idle.
    private var quiescing = false

    init(edge: EdgeCache, metrics: HTTPMetrics, logger: Logger, dates: HTTPDates) {
        self.edge = edge
        self.metrics = metrics
        self.logger = logger
        self.dates = dates
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            // Only a keep-alive HTTP/1.1 request: the router's side decides how others end.
            if passedOn == 0, !quiescing, request.version == .http1_1, request.isKeepAlive,
                let entry = edge.entry(for: request)
            {
                answering = (entry, request, .now)
                return
            }
            passedOn += 1
            context.fireChannelRead(data)
        case .body:
            // A GET answered here may still carry a body; it is read and dropped.
            if answering == nil { context.fireChannelRead(data) }
        case .end:
            guard let answer = answering else {
                context.fireChannelRead(data)
                return
            }
            answering = nil
            respond(context: context, entry: answer.entry, request: answer.request, start: answer.start)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { passedOn -= 1 }
        context.write(data, promise: promise)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent { quiescing = true }
        context.fireUserInboundEventTriggered(event)
    }

    private func respond(
        context: ChannelHandlerContext, entry: EdgeCache.Entry, request: HTTPRequestHead,
        start: ContinuousClock.Instant
    ) {
        let id = EdgeRequestID.next()
        let notModified = request.headers.first(name: "if-none-match").map {
            ConditionalGetMiddleware.matches($0, entry.etag)
        }
        let acceptEncoding = request.headers["accept-encoding"]
        let variant = entry.variant(
            acceptEncoding: acceptEncoding.isEmpty ? nil : acceptEncoding.joined(separator: ","))
        var head = notModified == true ? variant.notModifiedHead : variant.head
        head.headers.add(name: "X-Request-Id", value: id)
        head.headers.add(name: "Date", value: dates.now())
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if notModified != true { context.write(wrapOutboundOut(.body(.byteBuffer(variant.body))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        if logger.logLevel <= .info {
            logger.info(
                "Request",
                metadata: [
                    "hb.request.id": .string(id), "hb.request.path": .string(request.uri),
                    "hb.request.method": .string(request.method.rawValue), "edge": "hit",
                ])
        }
        metrics.recordEdgeAnswer(route: entry.route, status: Int(head.status.code), duration: .now - start)
    }
}

/// Request ids for answers from the edge, in the form of the router's: 32 hex digits, a random
/// half fixed for the process and a counter.
enum EdgeRequestID {
    private static let high = hex(UInt64.random(in: .min ... .max))
    private static let counter = Atomic<UInt64>(UInt64.random(in: .min ... .max))
    private static let digits = Array("0123456789abcdef".utf8)

    static func next() -> String {
        high + hex(counter.add(1, ordering: .relaxed).newValue)
    }

    /// 16 hex digits, leading zeros included.
    static func hex(_ value: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { buffer in
            for index in 0..<16 { buffer[index] = digits[Int((value >> (60 - 4 * UInt64(index))) & 0xf)] }
            return 16
        }
    }
}

/// The `Date` header's value (RFC 9110 IMF-fixdate), formatted at most once a second.
final class HTTPDates: Sendable {
    private let current = Mutex<(second: Int, value: String)>((-1, ""))

    func now() -> String {
        let second = time(nil)
        return current.withLock { current in
            if current.second != second { current = (second, Self.format(second)) }
            return current.value
        }
    }

    static func format(_ second: Int) -> String {
        var time = time_t(second)
        var parts = tm()
        gmtime_r(&time, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) "
            + "\(parts.tm_year + 1900) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
