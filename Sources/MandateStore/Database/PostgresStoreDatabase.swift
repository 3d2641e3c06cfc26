import Logging
import MandateCore
import NIOSSL
import PostgresKit
import PostgresNIO
import SQLKit
import ServiceLifecycle

/// PostgreSQL through a `PostgresClient` pool. The client is a service: it must be running
/// (in the application's service group, or `withRunningClient`) for queries to proceed.
public final class PostgresStoreDatabase: MandateDatabase {
    public let flavor = SQLFlavor.postgres
    public let client: PostgresClient
    public let logWakeups = LogWakeups()
    public let commits = CommitObservers()
    public let definitions = DefinitionCache()
    public let units = UnitTreeCache()
    public let clock: AppClock
    private let listenConfiguration: PostgresConnection.Configuration

    public init(location: DatabaseURL.PostgresLocation, clock: AppClock = AppClock(), logger: Logger) throws {
        self.clock = clock
        let tls: PostgresClient.Configuration.TLS
        switch location.tls {
        case "disable": tls = .disable
        case "require": tls = .require(.makeClientConfiguration())
        default: tls = .prefer(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.username, password: location.password,
            database: location.database, tls: tls)
        configuration.options.maximumConnections = 16
        let listenTLS: PostgresConnection.Configuration.TLS
        switch location.tls {
        case "disable": listenTLS = .disable
        case "require": listenTLS = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        default: listenTLS = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        self.listenConfiguration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.username, password: location.password,
            database: location.database, tls: listenTLS)
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    }

    public func read<T: Sendable>(_ work: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await work(connection.sql(queryLogLevel: nil))
        }
    }

    public func transaction<T: Sendable>(_ work: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            let database = connection.sql(queryLogLevel: nil)
            try await database.raw("BEGIN").run()
            var audited: [AuditEvent] = []
            do {
                audited = try await PendingAudit.record(on: database)
                let (result, appended) = try await LogAppendMarker.tracking { try await work(database) }
                try await database.raw("COMMIT").run()
                commits.notify()
                if appended { logWakeups.signal() }
                return result
            } catch {
                try? await database.raw("ROLLBACK").run()
                PendingAudit.current?.restore(audited)
                throw error
            }
        }
    }

    /// The PostgreSQL channel on which a commit that appended to the log is announced.
    static let logChannel = "mandate_log"

    /// Relays the log appends other instances announce to this instance's `logWakeups`, for as
    /// long as the calling task runs; a lost connection is retried every second.
    ///
    /// LISTEN holds its own connection, outside the pool, so that cancelling the task closes it
    /// at once whatever state the server is in (a pool lease waiting for an unreachable server
    /// would hold up shutdown).
    public func relayLogNotifications(logger: Logger) async {
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: listenConfiguration, id: 0, logger: logger)
                do {
                    try await withTaskCancellationHandler {
                        try await connection.listen(on: Self.logChannel) { notifications in
                            // Appends committed while no one listened are picked up by the next poll.
                            self.commits.notify()
                            self.logWakeups.signal()
                            for try await _ in notifications {
                                self.commits.notify()
                                self.logWakeups.signal()
                            }
                        }
                    } onCancel: {
                        let closing: EventLoopFuture<Void> = connection.close()
                        _ = closing
                    }
                } catch {
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            } catch {
                if Task.isCancelled { return }
                logger.warning("listening for log appends failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    public func ping() async throws {
        _ = try await read { try await $0.raw("SELECT 1 AS one").first() }
    }

    public func close() async {}
}
