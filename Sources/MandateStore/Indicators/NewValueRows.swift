import MandateCore
import NIOPosix
import SQLiteKit
import VaporCSQLite

/// New `data_values` rows written through one prepared SQLite statement, re-bound per row: a
/// million-row import spends its time storing rows, not building and parsing statements.
///
/// SQLiteNIO prepares every query it runs, so this works on the connection's `sqlite3` handle
/// (`SQLiteSession.handle`), inside the transaction the session's lock holds; no other statement
/// runs on the connection meanwhile. The columns the rows share (status, who and when) are bound
/// once; each row binds only its own seven values.
enum NewValueRows {
    /// Inserts a row for each of `values` (`late` says which came late), in the order of the
    /// positions `order` lists, with the `shared` fields; returns the positions of the rows not
    /// inserted because their key is stored already (with `skippingStored`; without it, such a row
    /// fails the insert).
    static func insert(
        _ values: [CheckedValue], late: [Bool], order: [Int], shared: Shared, skippingStored: Bool,
        handle: SQLiteSession.Handle
    ) async throws -> [Int] {
        precondition(order.count == values.count && late.count == values.count)
        return try await NIOThreadPool.singleton.runIfActive {
            try insert(values, late: late, order: order, shared: shared, skippingStored: skippingStored, on: handle.raw)
        }
    }

    static let sql = """
        INSERT INTO data_values (indicator_code, unit_code, period, value, comment, evidence, late, \
        status, entered_by, entered_at, first_reported_at, approved_by, approved_at) \
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
        """

    private static func insert(
        _ values: [CheckedValue], late: [Bool], order: [Int], shared: Shared, skippingStored: Bool,
        on db: OpaquePointer
    ) throws -> [Int] {
        var statement: OpaquePointer?
        let text = sql + (skippingStored ? " ON CONFLICT (indicator_code, unit_code, period) DO NOTHING" : "")
        try check(sqlite_nio_sqlite3_prepare_v2(db, text, -1, &statement, nil), db)
        guard let statement else { throw Failure(code: SQLITE_ERROR, message: "no statement prepared") }
        defer { sqlite_nio_sqlite3_finalize(statement) }
        try bind(shared.status, 8, statement, db)
        try bind(shared.enteredBy, 9, statement, db)
        try bind(shared.enteredAt, 10, statement, db)
        try bind(shared.firstReportedAt, 11, statement, db)
        try bind(shared.approvedBy, 12, statement, db)
        try bind(shared.approvedAt, 13, statement, db)
        var stored: [Int] = []
        for position in order {
            let value = values[position]
            try bind(value.key.indicator, 1, statement, db)
            try bind(value.key.unit, 2, statement, db)
            try bind(value.key.period, 3, statement, db)
            try check(sqlite_nio_sqlite3_bind_double(statement, 4, value.value), db)
            try bind(value.comment, 5, statement, db)
            try bind(value.evidence, 6, statement, db)
            try check(sqlite_nio_sqlite3_bind_int64(statement, 7, late[position] ? 1 : 0), db)
            let stepped = sqlite_nio_sqlite3_step(statement)
            guard stepped == SQLITE_DONE else {
                sqlite_nio_sqlite3_reset(statement)
                try check(stepped, db)
                throw Failure(code: stepped, message: "an insert returned rows")
            }
            if sqlite_nio_sqlite3_changes(db) == 0 { stored.append(position) }
            try check(sqlite_nio_sqlite3_reset(statement), db)
        }
        return stored.sorted()
    }

    /// Binds text from its UTF-8 bytes as they are (a Swift string passed as a C string would be
    /// copied into a new buffer first); SQLite copies them before the call returns.
    private static func bind(_ text: String?, _ index: Int32, _ statement: OpaquePointer, _ db: OpaquePointer) throws {
        guard var text else { return try check(sqlite_nio_sqlite3_bind_null(statement, index), db) }
        let result = text.withUTF8 { bytes in
            sqlite_nio_sqlite3_bind_text64(
                statement, index,
                UnsafeRawPointer(bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!)
                    .assumingMemoryBound(to: CChar.self), UInt64(bytes.count), transient, UInt8(SQLITE_UTF8))
        }
        try check(result, db)
    }

    /// SQLite copies bound text before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

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

    /// What the rows of one submission have in common.
    struct Shared: Sendable {
        var status: String
        var enteredBy: String?
        var enteredAt: String
        var firstReportedAt: String
        var approvedBy: String?
        var approvedAt: String?

        init(_ value: DataValue) {
            status = value.status.rawValue
            enteredBy = value.enteredBy
            enteredAt = value.enteredAt
            firstReportedAt = value.firstReportedAt
            approvedBy = value.approvedBy
            approvedAt = value.approvedAt
        }

        /// What a submission's new rows share (as `ValueWriter.newValue` makes them).
        init(_ submitter: Submitter) {
            let approved = submitter.status == .approved
            status = submitter.status.rawValue
            enteredBy = submitter.userId
            enteredAt = submitter.at
            firstReportedAt = submitter.at
            approvedBy = approved ? submitter.userId : nil
            approvedAt = approved ? submitter.at : nil
        }

        func matches(_ value: DataValue) -> Bool {
            status == value.status.rawValue && enteredAt == value.enteredAt
                && firstReportedAt == value.firstReportedAt && enteredBy == value.enteredBy
                && approvedBy == value.approvedBy && approvedAt == value.approvedAt
        }
    }
}
