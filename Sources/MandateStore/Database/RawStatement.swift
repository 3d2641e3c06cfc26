import Foundation
import SQLiteKit
import VaporCSQLite

/// A statement prepared once on a connection's own `sqlite3` handle (`SQLiteSession.handle`) and
/// re-bound for each row or group of rows: SQLiteNIO prepares every query it runs, which costs
/// more than storing a small row. Used only inside the transaction that holds the writer's lock.
struct RawStatement: ~Copyable {
    let statement: OpaquePointer
    let db: OpaquePointer
    /// SQLite copies bound text before the call returns (kept here: a static is checked for its
    /// first use on every bind).
    private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ sql: String, on db: OpaquePointer) throws {
        var statement: OpaquePointer?
        try Self.check(sqlite_nio_sqlite3_prepare_v2(db, sql, -1, &statement, nil), db)
        guard let statement else { throw Failure(code: SQLITE_ERROR, message: "no statement prepared") }
        self.statement = statement
        self.db = db
    }

    deinit { sqlite_nio_sqlite3_finalize(statement) }

    /// Binds text from its UTF-8 bytes as they are (a Swift string passed as a C string would be
    /// copied into a new buffer first); SQLite copies them before the call returns.
    func bind(_ text: String?, _ index: Int32) throws {
        guard let text else { return try check(sqlite_nio_sqlite3_bind_null(statement, index)) }
        func bind(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
            sqlite_nio_sqlite3_bind_text64(
                statement, index,
                UnsafeRawPointer(bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!)
                    .assumingMemoryBound(to: CChar.self), UInt64(bytes.count), transient, UInt8(SQLITE_UTF8))
        }
        // A native string's bytes are read where they are; only another kind is copied first.
        if let result = text.utf8.withContiguousStorageIfAvailable(bind) { return try check(result) }
        var copy = text
        try check(copy.withUTF8(bind))
    }

    func bind(_ value: Int64, _ index: Int32) throws {
        try check(sqlite_nio_sqlite3_bind_int64(statement, index, value))
    }

    func bind(_ value: Double, _ index: Int32) throws {
        try check(sqlite_nio_sqlite3_bind_double(statement, index, value))
    }

    /// Runs a statement that returns no rows, then resets it for the next bindings.
    func run() throws {
        let stepped = sqlite_nio_sqlite3_step(statement)
        guard stepped == SQLITE_DONE else {
            sqlite_nio_sqlite3_reset(statement)
            try check(stepped)
            throw Failure(code: stepped, message: "a statement that returns nothing returned rows")
        }
        try check(sqlite_nio_sqlite3_reset(statement))
    }

    /// The first column of the first row as an integer (nil without a row or for NULL), then resets.
    func integer() throws -> Int64? {
        defer { sqlite_nio_sqlite3_reset(statement) }
        let stepped = sqlite_nio_sqlite3_step(statement)
        guard stepped == SQLITE_ROW else {
            try check(stepped)
            return nil
        }
        guard sqlite_nio_sqlite3_column_type(statement, 0) != SQLITE_NULL else { return nil }
        return sqlite_nio_sqlite3_column_int64(statement, 0)
    }

    /// The rows the last statement changed on this connection.
    var changes: Int { Int(sqlite_nio_sqlite3_changes(db)) }

    private func check(_ result: Int32) throws { try Self.check(result, db) }

    private static func check(_ result: Int32, _ db: OpaquePointer) throws {
        guard result == SQLITE_OK || result == SQLITE_DONE else {
            throw Failure(code: result, message: String(cString: sqlite_nio_sqlite3_errmsg(db)))
        }
    }

    /// SQLite's result code and message.
    struct Failure: Error, CustomStringConvertible {
        let code: Int32
        let message: String

        var description: String { "SQLite error \(code): \(message)" }
    }
}
