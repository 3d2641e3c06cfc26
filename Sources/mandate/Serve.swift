import ArgumentParser
import Foundation
import Logging
import MandateCore
import MandateServer
import MandateStore

struct Serve: AsyncParsableCommand, AppArguments {
    static let configuration = CommandConfiguration(abstract: "Serve the web pages and the JSON API.")

    @OptionGroup var databaseOptions: DatabaseOptions
    @Option(name: .customLong("host"), help: "Address to listen on.") var hostname = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Flag(name: .customLong("no-demo"), help: "Do not create the demo accounts on first start.") var noDemo = false
    @Flag(help: "Mark cookies Secure even without X-Forwarded-Proto: https.") var secureCookies = false
    @Option(help: "Log format: text or json.") var logFormat: LogFormat = .text
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel: Logger.Level = .info
    @Flag(
        name: .customLong("no-event-loop-executor"),
        help: "Run request handlers on Swift's own thread pool instead of the network event loops.")
    var noEventLoopExecutor = false
    @Option(
        help: ArgumentHelp(
            "Connections held at once, in all (default: what the open-file limit allows).",
            valueName: "count"))
    var maxConnections: Int?
    @Option(help: ArgumentHelp("Connections held at once from one client address.", valueName: "count"))
    var maxConnectionsPerClient = 256
    @Option(help: ArgumentHelp("Seconds a connection may stay idle between requests.", valueName: "seconds"))
    var idleTimeout = 30.0
    @Option(help: ArgumentHelp("Seconds a client has to send a request's head.", valueName: "seconds"))
    var headerTimeout = 10.0
    @Option(help: ArgumentHelp("Seconds a request's body may pause between reads.", valueName: "seconds"))
    var bodyTimeout = 30.0
    @Option(help: ArgumentHelp("Seconds an answer may wait for a client that does not read it.", valueName: "seconds"))
    var writeTimeout = 30.0
    @Option(
        help: ArgumentHelp(
            "Seconds a graceful shutdown (SIGTERM, SIGINT) may take before connections are cut; the process ends at most 5 s later.",
            valueName: "seconds"))
    var shutdownTimeout = 10.0
    @Option(
        name: .customLong("trusted-proxy"),
        help: ArgumentHelp(
            "The address of a reverse proxy whose X-Forwarded-For and X-Forwarded-Proto are believed (repeat for several); from any other peer they are ignored.",
            valueName: "address"))
    var trustedProxies: [String] = []
    @Option(
        name: .customLong("metrics-from"),
        help: ArgumentHelp(
            "A client address /metrics answers without credentials (repeat for several; default 127.0.0.1 and ::1); an administrator's API token is accepted from anywhere.",
            valueName: "address"))
    var metricsFrom: [String] = ["127.0.0.1", "::1"]
    @Option(help: "Ratings citizens may send from one client in ten minutes (its address is hashed, never kept).")
    var ratingsPerClient = FeedbackLimits.standard.perClient.limit
    @Option(help: "Ratings one unit may receive in a minute.")
    var ratingsPerUnit = FeedbackLimits.standard.perUnit.limit
    @Option(help: "Ratings the server takes in a second, in all.")
    var ratingsPerSecond = FeedbackLimits.standard.overall.limit

    @Option(
        help: ArgumentHelp(
            "Seconds between rounds of the catalogue's link probe (0: never probe); a link is asked again a day after its last answer.",
            valueName: "seconds"))
    var catalogueProbeEvery = 3600.0
    @Flag(
        help:
            "Let the catalogue's link probe ask private and loopback addresses (an intranet deployment; never on the internet)."
    )
    var catalogueProbePrivate = false

    var linkProbes: LinkProbePolicy? {
        guard catalogueProbeEvery > 0 else { return nil }
        return LinkProbePolicy(every: .seconds(catalogueProbeEvery), allowPrivateAddresses: catalogueProbePrivate)
    }

    var feedbackLimits: FeedbackLimits {
        var limits = FeedbackLimits.standard
        limits.perClient.limit = ratingsPerClient
        limits.perUnit.limit = ratingsPerUnit
        limits.overall.limit = ratingsPerSecond
        return limits
    }

    var database: DatabaseURL { (try? databaseOptions.url()) ?? .default }
    var demo: Bool { !noDemo }

    var connections: ConnectionPolicy {
        var policy = ConnectionPolicy.fitting(openFiles: OpenFiles.limit())
        if let maxConnections { policy.maximumConnections = maxConnections }
        policy.maximumPerClient = maxConnectionsPerClient
        policy.idleTimeout = .seconds(idleTimeout)
        policy.headerTimeout = .seconds(headerTimeout)
        policy.bodyTimeout = .seconds(bodyTimeout)
        policy.writeTimeout = .seconds(writeTimeout)
        policy.shutdownTimeout = .seconds(shutdownTimeout)
        return policy
    }

    func validate() throws {
        _ = try databaseOptions.url()
        if let maxConnections, maxConnections < 1 {
            throw ValidationError("--max-connections must be at least 1")
        }
        guard maxConnectionsPerClient >= 1 else {
            throw ValidationError("--max-connections-per-client must be at least 1")
        }
        for (name, seconds) in [
            ("idle", idleTimeout), ("header", headerTimeout), ("body", bodyTimeout), ("write", writeTimeout),
            ("shutdown", shutdownTimeout),
        ] where !(seconds > 0 && seconds <= 3600) {
            throw ValidationError("--\(name)-timeout must be more than 0 and at most 3600 seconds")
        }
    }

    func run() async throws {
        LogFormat.bootstrap(logFormat, level: logLevel)
        // Tasks run on the event loops that do the network I/O, so that a request does not hop
        // between threads on its way in and out. Work that blocks (bcrypt, SQLite) runs on NIO's
        // thread pool either way. The flag keeps Swift's own pool, to compare.
        if !noEventLoopExecutor { runTasksOnTheEventLoops() }
        // Before the connection caps are read from the limit (`connections`).
        OpenFiles.raiseToHardLimit()
        try await runServer(self)
    }
}

enum LogFormat: String, ExpressibleByArgument, Sendable {
    case text
    case json

    static func bootstrap(_ format: LogFormat, level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                format == .json ? JSONLogHandler(label: label) : TextLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
