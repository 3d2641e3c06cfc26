import Logging
import NIOCore
import SQLKit
import SQLiteKit

/// The writer connection of an SQLite transaction, seen as an `SQLDatabase` that also lends its
/// connection: bulk writes bind `SQLiteData` directly and skip SQLKit's serialising of each value.
struct SQLiteSession: SQLDatabase {
    let connection: SQLiteConnection
    private let base: any SQLDatabase

    init(connection: SQLiteConnection) {
        self.connection = connection
        self.base = connection.sql(queryLogLevel: nil)
    }

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(
        sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void
    )
        -> EventLoopFuture<Void>
    {
        base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await base.execute(sql: query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    /// The connection's `sqlite3` handle, for bulk writes with a statement prepared once.
    ///
    /// `@unchecked`: a raw pointer is not `Sendable`. It is used only inside the transaction that
    /// holds the writer's lock, while no other statement runs on the connection, and SQLiteNIO
    /// opens connections in serialized mode (`SQLITE_OPEN_FULLMUTEX`).
    struct Handle: @unchecked Sendable {
        let raw: OpaquePointer
    }

    /// The handle SQLiteNIO keeps in its connection (it has no public accessor); nil if a later
    /// version keeps it otherwise, which `NewValueRowsTests` would report.
    var handle: Handle? {
        (Mirror(reflecting: connection).descendant("handle", "raw") as? OpaquePointer).map(Handle.init)
    }
}
