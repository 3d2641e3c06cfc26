import MandateCore
import SQLiteKit

/// New `data_values` rows written straight through the SQLite connection: a million-row import
/// spends its time in SQLite, not in building and serialising a query per value.
///
/// The columns a submission shares (status, who and when) are bound once per statement as `?1`…`?6`;
/// each row binds only its own seven values.
enum NewValueRows {
    /// Rows per statement: 6 + 7 × 1,000 parameters stay well under SQLite's 32,766.
    static let rowsPerStatement = 1000

    static func insert(_ values: [DataValue], skippingStored: Bool, on session: SQLiteSession) async throws -> Int {
        var inserted = 0
        for (key, rows) in groups(values) {
            let shared = key.binds
            var statement = (rows: 0, sql: "")
            for batch in rows.chunked(into: rowsPerStatement) {
                var binds = shared
                binds.reserveCapacity(shared.count + batch.count * 7)
                for value in batch {
                    binds.append(.text(value.indicator))
                    binds.append(.text(value.unit))
                    binds.append(.text(value.period))
                    binds.append(.float(value.value))
                    binds.append(value.comment.map(SQLiteData.text) ?? .null)
                    binds.append(value.evidence.map(SQLiteData.text) ?? .null)
                    binds.append(.integer(value.late ? 1 : 0))
                }
                if statement.rows != batch.count {
                    statement = (batch.count, sql(rows: batch.count, skippingStored: skippingStored))
                }
                try await session.run(statement.sql, binds)
                inserted += skippingStored ? try await session.changes() : batch.count
            }
        }
        return inserted
    }

    /// The values by what they share, in order of first appearance (a submission makes one group).
    static func groups(_ values: [DataValue]) -> [(Shared, [DataValue])] {
        var groups: [(Shared, [DataValue])] = []
        for value in values {
            if let index = groups.lastIndex(where: { $0.0.matches(value) }) {
                groups[index].1.append(value)
            } else {
                groups.append((Shared(value), [value]))
            }
        }
        return groups
    }

    /// `INSERT INTO data_values (…) VALUES (?7, …, ?13, ?1, …, ?6), (?14, …)`.
    static func sql(rows: Int, skippingStored: Bool) -> String {
        var sql = """
            INSERT INTO data_values (indicator_code, unit_code, period, value, comment, evidence, late, \
            status, entered_by, entered_at, first_reported_at, approved_by, approved_at) VALUES 
            """
        sql.reserveCapacity(sql.utf8.count + rows * 64)
        var next = Shared.count + 1
        for row in 0..<rows {
            sql += row == 0 ? "(" : ", ("
            for _ in 0..<7 {
                sql += "?\(next), "
                next += 1
            }
            sql += "?1, ?2, ?3, ?4, ?5, ?6)"
        }
        if skippingStored { sql += " ON CONFLICT (indicator_code, unit_code, period) DO NOTHING" }
        return sql
    }

    /// What the rows of one submission have in common.
    struct Shared {
        static let count = 6
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

        var binds: [SQLiteData] {
            [
                .text(status), enteredBy.map(SQLiteData.text) ?? .null, .text(enteredAt), .text(firstReportedAt),
                approvedBy.map(SQLiteData.text) ?? .null, approvedAt.map(SQLiteData.text) ?? .null,
            ]
        }

        func matches(_ value: DataValue) -> Bool {
            status == value.status.rawValue && enteredAt == value.enteredAt
                && firstReportedAt == value.firstReportedAt && enteredBy == value.enteredBy
                && approvedBy == value.approvedBy && approvedAt == value.approvedAt
        }
    }
}
