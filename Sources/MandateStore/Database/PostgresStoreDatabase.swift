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
                let (result, changes, appended) = try await ChangeRecorder.tracking { try await work(database) }
                if !changes.isNothingPublic {
                    // Delivered to every listening instance when (and only if) the transaction commits.
                    try await database.raw(
                        "SELECT pg_notify(\(bind: Self.logChannel), \(bind: Self.payload(changes)))"
                    ).run()
                }
                try await database.raw("COMMIT").run()
                commits.notify(changes)
                if appended { logWakeups.signal() }
                return result
            } catch {
                try? await database.raw("ROLLBACK").run()
                PendingAudit.current?.restore(audited)
                throw error
            }
        }
    }

    /// The PostgreSQL channel on which every commit that changed public data is announced, with
    /// what it changed as its payload (see `ChangeTags.description`).
    static let logChannel = "mandate_log"

    /// What a commit changed, as a notification's payload: within PostgreSQL's limit of 8,000
    /// bytes, or `everything`.
    static func payload(_ changes: ChangeTags) -> String {
        let text = changes.description
        return text.utf8.count < 7_900 ? text : ChangeTags.everything.description
    }

    /// What an announced commit changed. A payload that names no tag (an instance that announced
    /// only its log appends) or cannot be read changed `everything`.
    static func changes(announcedAs payload: String) -> ChangeTags {
        guard let changes = ChangeTags(parsing: payload), !changes.isNothingPublic else { return .everything }
        return changes
    }

    /// Relays the commits other instances announce to this instance's `commits` (with what they
    /// changed) and, when they appended to the log, to its `logWakeups`, for as long as the calling
    /// task runs; a lost connection is retried every second.
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
                            // Whatever was committed while no one listened: everything may have
                            // changed, and appends are picked up by the next poll.
                            self.commits.notify(.everything)
                            self.logWakeups.signal()
                            for try await notification in notifications {
                                let changes = Self.changes(announcedAs: notification.payload)
                                self.commits.notify(changes)
                                if changes.tags.contains(.log) || changes.tags.contains(.everything) {
                                    self.logWakeups.signal()
                                }
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
