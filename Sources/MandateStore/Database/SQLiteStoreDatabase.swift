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
    public let clock: AppClock
    private let writer: SQLiteConnection
    /// Whether the database is a file (not in memory).
    private let isFile: Bool
    private let readers: [SQLiteConnection]
    /// The connection of `readOnce`, with a small page cache; nil in memory or without readers.
    private let scanner: SQLiteConnection?
    private let lock = AsyncLock()
    private let nextReader = Atomic<Int>(0)
    private let logger: Logger

    public static func open(
        path: String?, readers readerCount: Int = 4, clock: AppClock = AppClock(), logger: Logger
    ) async throws
        -> SQLiteStoreDatabase
    {
        let storage: SQLiteConnection.Storage = path.map { .file(path: $0) } ?? .memory
        let writer = try await SQLiteConnection.open(storage: storage, logger: logger)
        do {
            // The wait first: a file in the middle of a bulk load (see `bulkLoad`) is in rollback-
            // journal mode, and turns to WAL mode once the load ends.
            try await Self.run("PRAGMA busy_timeout = 10000", on: writer)
            if path != nil {
                try await Self.run("PRAGMA journal_mode = WAL", on: writer)
            }
            try await Self.run("PRAGMA synchronous = FULL", on: writer)
            try await Self.run("PRAGMA foreign_keys = ON", on: writer)
            var readers: [SQLiteConnection] = []
            if path != nil {
                for _ in 0..<readerCount {
                    let reader = try await SQLiteConnection.open(storage: storage, logger: logger)
                    try await Self.run("PRAGMA busy_timeout = 10000", on: reader)
                    try await Self.run("PRAGMA query_only = ON", on: reader)
                    // A page reads the same index pages again and again: 16 MiB keeps them
                    // rather than the default 2 MiB.
                    try await Self.run("PRAGMA cache_size = -16384", on: reader)
                    readers.append(reader)
                }
            }
            // Only beside readers: a database opened with none is the file's only connection (a
            // bulk load switches its journal mode, which other connections prevent).
            var scanner: SQLiteConnection?
            if !readers.isEmpty {
                let connection = try await SQLiteConnection.open(storage: storage, logger: logger)
                scanner = connection
                try await Self.run("PRAGMA busy_timeout = 10000", on: connection)
                try await Self.run("PRAGMA query_only = ON", on: connection)
                // An export reads 50,000 databases' statements once: 16 MiB of cache per reader
                // would hold 64 MiB of them to no use.
                try await Self.run("PRAGMA cache_size = -1024", on: connection)
            }
            return SQLiteStoreDatabase(
                writer: writer, readers: readers, scanner: scanner, isFile: path != nil, clock: clock, logger: logger)
        } catch {
            try? await writer.close()
            throw error
        }
    }

    private init(
        writer: SQLiteConnection, readers: [SQLiteConnection], scanner: SQLiteConnection?, isFile: Bool,
        clock: AppClock, logger: Logger
    ) {
        self.writer = writer
        self.clock = clock
        self.readers = readers
        self.scanner = scanner
        self.isFile = isFile
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

    public func readOnce<T: Sendable>(_ work: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        guard let scanner else { return try await read(work) }
        return try await work(scanner.sql(queryLogLevel: nil))
    }

    public func transaction<T: Sendable>(_ work: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await lock.withLock {
            let database = SQLiteSession(connection: self.writer)
            // IMMEDIATE takes the write lock at once, so a second process waits instead of failing mid-way.
            try await Self.run("BEGIN IMMEDIATE", on: self.writer)
            var audited: [AuditEvent] = []
            do {
                audited = try await PendingAudit.record(on: database)
                let (result, changes, appended) = try await ChangeRecorder.tracking { try await work(database) }
                try await Self.run("COMMIT", on: self.writer)
                self.commits.notify(changes)
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

    /// Runs `work` (a bulk load: one large transaction) with the file in rollback-journal mode
    /// where this connection is the only one to it: each page is then written once, into the file,
    /// where WAL mode writes it into the log and again into the file at the checkpoint. A million
    /// values load in three quarters of the time. Back in WAL mode afterwards, whatever happens.
    ///
    /// Where the database has reader connections, is in memory, or another process has the file
    /// open (a running server), the mode cannot change and `work` runs in WAL mode, as any other
    /// write. Commits are as durable either way: a load killed half-way leaves a journal that the
    /// next opening rolls back.
    public func bulkLoad<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T {
        guard isFile, readers.isEmpty, try await setJournalMode("delete") else { return try await work() }
        do {
            let result = try await work()
            try await returnToWAL()
            return result
        } catch {
            try? await returnToWAL()
            throw error
        }
    }

    private func returnToWAL() async throws {
        guard try await setJournalMode("wal") else {
            // Every opening asks for WAL mode again, so the file returns to it at the next.
            logger.warning("the SQLite file stays in rollback-journal mode until it is next opened")
            return
        }
    }

    /// Asks for `mode`, without waiting for other connections; whether the file is now in it.
    private func setJournalMode(_ mode: String) async throws -> Bool {
        try await lock.withLock {
            try await Self.run("PRAGMA busy_timeout = 0", on: self.writer)
            var found: String?
            var failure: (any Error)?
            do {
                let rows: [SQLiteRow] = try await self.writer.query("PRAGMA journal_mode = \(mode)", [])
                found = rows.first?.column("journal_mode")?.string
            } catch let error as SQLiteError where error.reason == .busy || error.reason == .locked {
                // Another connection has the file open.
            } catch {
                failure = error
            }
            try await Self.run("PRAGMA busy_timeout = 10000", on: self.writer)
            if let failure { throw failure }
            return found?.lowercased() == mode
        }
    }

    public func close() async {
        for connection in readers + [scanner].compactMap({ $0 }) + [writer] {
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
