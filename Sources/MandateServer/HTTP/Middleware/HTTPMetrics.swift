import Hummingbird
import Prometheus
import Synchronization

/// Request counts and latencies by route, in a Prometheus registry owned by the application.
public struct HTTPMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let instruments = Instruments()
    private static let buckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
        .milliseconds(20), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .seconds(2), .seconds(5),
    ]

    /// Requests answered in front of the router, from the edge cache.
    private let edgeAnswers: Counter

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        self.edgeAnswers = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "http_edge_answers", unitName: "total",
                helpText: "HTTP requests answered from the edge cache, without reaching the router."))
    }

    private static var requests: MetricNameDescriptor {
        MetricNameDescriptor(
            metricName: "http_requests", unitName: "total",
            helpText: "HTTP requests by route pattern, method and status.")
    }
    private static var latency: MetricNameDescriptor {
        MetricNameDescriptor(
            metricName: "http_request_duration", unitName: "seconds", helpText: "HTTP request latency by route pattern."
        )
    }

    func record(route: String, method: String, status: Int, duration: Duration) {
        let key = Instruments.Key(route: route, method: method, status: status)
        let (counter, histogram) = instruments.get(key) {
            (
                registry.makeCounter(
                    descriptor: Self.requests,
                    labels: [("route", route), ("method", method), ("status", String(status))]),
                registry.makeDurationHistogram(
                    descriptor: Self.latency, labels: [("route", route), ("method", method)], buckets: Self.buckets)
            )
        }
        counter.increment()
        histogram.recordNanoseconds(duration.nanoseconds)
    }

    /// Records a request the edge cache answered, in the route's figures too.
    func recordEdgeAnswer(route: String, status: Int, duration: Duration) {
        edgeAnswers.increment()
        record(route: route, method: "GET", status: status, duration: duration)
    }

    /// The instruments already made, by label set. Every request looks one up, so this is a
    /// plain locked table rather than an actor: a lookup must not cost a task switch.
    final class Instruments: Sendable {
        struct Key: Hashable, Sendable {
            let route: String
            let method: String
            let status: Int
        }
        typealias Pair = (Counter, DurationHistogram)
        private let table = Mutex<[Key: Pair]>([:])

        func get(_ key: Key, make: () -> Pair) -> Pair {
            if let pair = table.withLock({ $0[key] }) { return pair }
            let pair = make()
            table.withLock { $0[key] = pair }
            return pair
        }
    }

    /// The registry in Prometheus text format.
    public func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

/// Records every request, by the route pattern it matched (never the raw path, which would
/// grow the label set without bound).
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: HTTPMetrics

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        let clock = ContinuousClock()
        let start = clock.now
        let response = try await next(request, context)
        metrics.record(
            route: context.endpointPath ?? "NotFound", method: request.method.rawValue,
            status: Int(response.status.code), duration: clock.now - start)
        return response
    }
}
