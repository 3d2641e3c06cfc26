import Foundation
import Logging
import ServiceLifecycle

/// Ends the process if a graceful shutdown has not ended `limit` after it began, whatever holds
/// it (a client that never finishes its request, a task that ignores cancellation). Written
/// data is safe: every acknowledged write was committed before its answer. Only `mandate serve`
/// runs it, last in its service group so that it is told of the shutdown first.
struct ShutdownDeadline: Service {
    let limit: Duration
    let logger: Logger

    init(limit: Duration, logger: Logger) {
        self.limit = limit
        self.logger = logger
    }

    func run() async throws {
        // Returns when the graceful shutdown begins; throws if the group is cancelled instead.
        try await gracefulShutdown()
        let seconds = Double(limit.components.seconds) + Double(limit.components.attoseconds) * 1e-18
        let logger = logger
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: seconds)
            logger.critical(
                "The graceful shutdown did not end in time; stopping now", metadata: ["limit_s": "\(seconds)"])
            fflush(nil)
            _exit(1)
        }
    }
}

/// Runs the application until SIGTERM or SIGINT, as `mandate serve` does: the graceful shutdown
/// may take `arguments.connections.shutdownTimeout`, then the connections are cut (the services
/// are cancelled), and 5 s later the process ends whatever still runs (`ShutdownDeadline`).
public func runServer(_ arguments: some AppArguments) async throws {
    let logger = Logger(label: "mandate")
    let shutdown = arguments.connections.shutdownTimeout
    var configuration = ServiceGroupConfiguration(
        services: [
            .init(service: try await buildApplication(arguments)),
            .init(service: ShutdownDeadline(limit: shutdown + .seconds(5), logger: logger)),
        ],
        gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    configuration.maximumGracefulShutdownDuration = shutdown
    configuration.maximumCancellationDuration = .seconds(3)
    try await ServiceGroup(configuration: configuration).run()
}
