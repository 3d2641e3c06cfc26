import ArgumentParser
import Foundation
import Logging
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

    var database: DatabaseURL { (try? databaseOptions.url()) ?? .default }
    var demo: Bool { !noDemo }

    func validate() throws {
        _ = try databaseOptions.url()
    }

    func run() async throws {
        LogFormat.bootstrap(logFormat, level: logLevel)
        // Tasks run on the event loops that do the network I/O, so that a request does not hop
        // between threads on its way in and out. Work that blocks (bcrypt, SQLite) runs on NIO's
        // thread pool either way. The flag keeps Swift's own pool, to compare.
        if !noEventLoopExecutor { runTasksOnTheEventLoops() }
        try await buildApplication(self).runService()
    }
}

enum LogFormat: String, ExpressibleByArgument, Sendable {
    case text
    case json

    static func bootstrap(_ format: LogFormat, level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                format == .json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
