import MandateCore
import NIOPosix
import SQLiteKit
import VaporCSQLite

/// New `data_values` rows written through prepared SQLite statements of many rows each, re-bound
/// for the next rows: a million-row import spends its time storing rows, not building and parsing
/// statements.
///
/// SQLiteNIO prepares every query it runs, so this works on the connection's `sqlite3` handle
/// (`SQLiteSession.handle`), inside the transaction the session's lock holds; no other statement
/// runs on the connection meanwhile. The columns the rows share (status, who and when) are bound
/// once per statement; each row binds only its own seven values.
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

    /// Rows per statement: a statement's own work (opening its cursors, ending) is shared by them.
    static let rowsPerStatement = 32

    /// An insert of `rows` rows. `?1`…`?6` are the shared columns; row `r` binds its own seven
    /// from `?(7 + 7r)` on. `OR IGNORE` skips a row whose key is stored already; unlike
    /// `ON CONFLICT DO NOTHING`, it lets a statement of many rows run without a statement journal
    /// (which would copy every page the statement touches).
    static func sql(rows: Int) -> String {
        let tuples = (0..<rows).map { row in
            let first = 7 + 7 * row
            return "(" + (first..<first + 7).map { "?\($0)" }.joined(separator: ", ") + ", ?1, ?2, ?3, ?4, ?5, ?6)"
        }
        return "INSERT OR IGNORE INTO data_values (indicator_code, unit_code, period, value, comment, evidence, "
            + "late, status, entered_by, entered_at, first_reported_at, approved_by, approved_at) VALUES "
            + tuples.joined(separator: ", ")
    }

    private static func insert(
        _ values: [CheckedValue], late: [Bool], order: [Int], shared: Shared, skippingStored: Bool,
        on db: OpaquePointer
    ) throws -> [Int] {
        // Rows get rowids above the largest stored, so a row of a statement that skipped any is
        // found stored before if its rowid is at most that.
        let largestStored = try RawStatement("SELECT max(rowid) FROM data_values", on: db).integer() ?? 0
        var skipped: [Range<Int>] = []
        var stored: [Int] = []
        var start = 0
        for rows in [rowsPerStatement, 1] {
            guard start + rows <= order.count else { continue }
            let statement = try RawStatement(sql(rows: rows), on: db)
            try statement.bind(shared.status, 1)
            try statement.bind(shared.enteredBy, 2)
            try statement.bind(shared.enteredAt, 3)
            try statement.bind(shared.firstReportedAt, 4)
            try statement.bind(shared.approvedBy, 5)
            try statement.bind(shared.approvedAt, 6)
            while start + rows <= order.count {
                for row in 0..<rows {
                    let position = order[start + row]
                    let first = Int32(7 + 7 * row)
                    // Each field read in place: a copy of the whole value would retain its strings.
                    try statement.bind(values[position].key.indicator, first)
                    try statement.bind(values[position].key.unit, first + 1)
                    try statement.bind(values[position].key.period, first + 2)
                    try statement.bind(values[position].value, first + 3)
                    try statement.bind(values[position].comment(replacing: nil), first + 4)
                    try statement.bind(values[position].evidence(replacing: nil), first + 5)
                    try statement.bind(Int64(late[position] ? 1 : 0), first + 6)
                }
                try statement.run()
                let changed = statement.changes
                if changed == 0 {
                    // Every row was stored already (one left out for another reason is missing
                    // when the caller reads the stored rows, and fails there).
                    stored += order[start..<start + rows]
                } else if changed < rows {
                    skipped.append(start..<start + rows)
                }
                start += rows
            }
        }
        if !skipped.isEmpty {
            let lookup = try RawStatement(
                "SELECT rowid FROM data_values WHERE indicator_code = ?1 AND unit_code = ?2 AND period = ?3", on: db)
            for range in skipped {
                for position in order[range] {
                    let key = values[position].key
                    try lookup.bind(key.indicator, 1)
                    try lookup.bind(key.unit, 2)
                    try lookup.bind(key.period, 3)
                    // A row skipped for any other reason than a stored key is missing: an error.
                    guard let rowid = try lookup.integer() else {
                        throw RawStatement.Failure(code: SQLITE_CONSTRAINT, message: "the row of \(key) was not stored")
                    }
                    if rowid <= largestStored { stored.append(position) }
                }
            }
        }
        if !skippingStored, let position = stored.first {
            throw RawStatement.Failure(code: SQLITE_CONSTRAINT, message: "\(values[position].key) is stored already")
        }
        return stored.sorted()
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
