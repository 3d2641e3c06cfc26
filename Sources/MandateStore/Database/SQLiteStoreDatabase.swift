import Logging
import MandateCore
import NIOPosix
import SQLKit
import SQLiteKit
import Synchronization

/// SQLite in WAL mode with durable commits: one writer connection behind a lock, several readers.
///
/// `synchronous = FULL` makes every commit reach the disk before it is acknowledged, so an
/// acknowledged write survives `kill -9` and power loss. Readers see committed snapshots (WAL).
/// An in-memory database has a single connection, so reads take the lock too.
public final class SQLiteStoreDatabase: MandateDatabase {
    public let flavor = SQLFlavor.sqlite
    public let logWakeups = LogWakeups()
    public let commits = CommitObservers()
    public let definitions = DefinitionCache()
    public let units = UnitTreeCache()
    private let writer: SQLiteConnection
    private let readers: [SQLiteConnection]
    private let lock = AsyncLock()
    private let nextReader = Atomic<Int>(0)
    private let logger: Logger

    public static func open(
        path: String?, readers readerCount: Int = 4, logger: Logger
    ) async throws
        -> SQLiteStoreDatabase
    {
        let storage: SQLiteConnection.Storage = path.map { .file(path: $0) } ?? .memory
        let writer = try await SQLiteConnection.open(storage: storage, logger: logger)
        do {
            if path != nil {
                try await Self.run("PRAGMA journal_mode = WAL", on: writer)
            }
            try await Self.run("PRAGMA synchronous = FULL", on: writer)
            try await Self.run("PRAGMA foreign_keys = ON", on: writer)
            try await Self.run("PRAGMA busy_timeout = 10000", on: writer)
            var readers: [SQLiteConnection] = []
            if path != nil {
                for _ in 0..<readerCount {
                    let reader = try await SQLiteConnection.open(storage: storage, logger: logger)
                    try await Self.run("PRAGMA busy_timeout = 10000", on: reader)
                    try await Self.run("PRAGMA query_only = ON", on: reader)
                    readers.append(reader)
                }
            }
            return SQLiteStoreDatabase(writer: writer, readers: readers, logger: logger)
        } catch {
            try? await writer.close()
            throw error
        }
    }

    private init(writer: SQLiteConnection, readers: [SQLiteConnection], logger: Logger) {
        self.writer = writer
        self.readers = readers
        self.logger = logger
    }

    private static func run(_ sql: String, on connection: SQLiteConnection) async throws {
        try await connection.query(sql, []) { _ in }
    }

    public func read<T: Sendable>(_ work: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        if readers.isEmpty {
            return try await lock.withLock { try await work(self.writer.sql(queryLogLevel: nil)) }
        }
        let index = nextReader.add(1, ordering: .relaxed).oldValue % readers.count
        return try await work(readers[index].sql(queryLogLevel: nil))
    }

    public func transaction<T: Sendable>(_ work: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await lock.withLock {
            let database = SQLiteSession(connection: self.writer)
            // IMMEDIATE takes the write lock at once, so a second process waits instead of failing mid-way.
            try await Self.run("BEGIN IMMEDIATE", on: self.writer)
            var audited: [AuditEvent] = []
            do {
                audited = try await PendingAudit.record(on: database)
                let (result, appended) = try await LogAppendMarker.tracking { try await work(database) }
                try await Self.run("COMMIT", on: self.writer)
                self.commits.notify()
                if appended { self.logWakeups.signal() }
                return result
            } catch {
                do {
                    try await Self.run("ROLLBACK", on: self.writer)
                } catch let rollbackError {
                    self.logger.error("rollback failed", metadata: ["error": "\(rollbackError)"])
                }
                PendingAudit.current?.restore(audited)
                throw error
            }
        }
    }

    public func ping() async throws {
        _ = try await read { try await $0.raw("SELECT 1 AS one").first() }
    }

    public func close() async {
        for connection in readers + [writer] {
            do {
                // The future-based close runs even when shutdown cancelled this task; the async one
                // would throw CancellationError and leave the file open.
                let closed: EventLoopFuture<Void> = connection.close()
                try await closed.get()
            } catch {
                logger.warning("closing an SQLite connection failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
