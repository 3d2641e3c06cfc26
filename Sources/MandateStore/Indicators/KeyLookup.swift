import MandateCore
import SQLKit

/// `VALUES (?, ?, ?), (?, ?, ?)`: a table of keys, whose columns both engines name `column1`, `column2`, ….
struct RowValues: SQLExpression {
    let rows: [[String]]

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("VALUES ")
        for (index, row) in rows.enumerated() {
            if index > 0 { serializer.write(", ") }
            serializer.write("(")
            for (position, value) in row.enumerated() {
                if position > 0 { serializer.write(", ") }
                SQLBind(value).serialize(to: &serializer)
            }
            serializer.write(")")
        }
    }
}

/// A `data_values` row as stored.
struct DataValueRow {
    var indicatorCode: String
    var unitCode: String
    var period: String
    var value: Double
    var comment: String?
    var evidence: String?
    var status: String
    var enteredBy: String?
    var enteredAt: String
    var firstReportedAt: String
    var late: Bool
    var approvedBy: String?
    var approvedAt: String?

    static let columns = [
        "indicator_code", "unit_code", "period", "value", "comment", "evidence", "status", "entered_by", "entered_at",
        "first_reported_at", "late", "approved_by", "approved_at",
    ]

    /// Reads a row column by column: decoding it as `Decodable` with `convertFromSnakeCase`
    /// converted every column name of every row (a re-import of a million values spent two thirds
    /// of its time there).
    init(_ row: any SQLRow) throws {
        indicatorCode = try row.decode(column: "indicator_code", as: String.self)
        unitCode = try row.decode(column: "unit_code", as: String.self)
        period = try row.decode(column: "period", as: String.self)
        value = try row.decode(column: "value", as: Double.self)
        comment = try row.decode(column: "comment", as: String?.self)
        evidence = try row.decode(column: "evidence", as: String?.self)
        status = try row.decode(column: "status", as: String.self)
        enteredBy = try row.decode(column: "entered_by", as: String?.self)
        enteredAt = try row.decode(column: "entered_at", as: String.self)
        firstReportedAt = try row.decode(column: "first_reported_at", as: String.self)
        late = try row.decode(column: "late", as: Bool.self)
        approvedBy = try row.decode(column: "approved_by", as: String?.self)
        approvedAt = try row.decode(column: "approved_at", as: String?.self)
    }

    var dataValue: DataValue {
        DataValue(
            indicator: indicatorCode, unit: unitCode, period: period, value: value, comment: comment,
            evidence: evidence, status: ValueStatus(rawValue: status) ?? .draft, enteredBy: enteredBy,
            enteredAt: enteredAt, firstReportedAt: firstReportedAt, late: late, approvedBy: approvedBy,
            approvedAt: approvedAt)
    }

    /// Stored rows for `keys`, by key.
    static func fetch(_ keys: [DataValueKey], on db: any SQLDatabase) async throws -> [DataValueKey: DataValue] {
        var found: [DataValueKey: DataValue] = [:]
        for row in try await keyedRows(keys, of: "data_values", columns: columns, on: db) {
            let value = try DataValueRow(row).dataValue
            found[value.key] = value
        }
        return found
    }

    /// The rows of `table` (keyed by indicator, unit and period) for `keys`, with `columns`.
    static func keyedRows(
        _ keys: [DataValueKey], of table: String, columns: [String], on db: any SQLDatabase
    ) async throws -> [any SQLRow] {
        var rows: [any SQLRow] = []
        // Three bound values per key: batches stay under both engines' limits.
        for batch in keys.chunked(into: 3000) {
            // A join with the keys as a VALUES table: SQLite looks each key up in the primary key,
            // where `(a, b, c) IN (VALUES …)` would scan the whole table.
            let keys = SQLAlias(
                SQLGroupExpression(RowValues(rows: batch.map { [$0.indicator, $0.unit, $0.period] })), as: "k")
            rows += try await db.select().columns(columns.map { SQLColumn($0, table: "d") }).from(keys)
                .join(
                    SQLAlias(SQLIdentifier(table), as: "d"), method: SQLJoinMethod.inner,
                    on: SQLRaw("d.indicator_code = k.column1 AND d.unit_code = k.column2 AND d.period = k.column3")
                )
                .all()
        }
        return rows
    }
}

/// The kinds and parents of units (see `UnitTreeCache`).
struct UnitIndex: Sendable {
    var kinds: [String: UnitKind] = [:]
    var parents: [String: String] = [:]
    /// Units that no longer exist (e.g. the provinces before 1 July 2025), with the day they ceased
    /// where a successor names it.
    var former: [String: CivilDate?] = [:]

    /// The unit's ancestors, parent first.
    func ancestors(of code: String) -> [String] {
        var result: [String] = []
        var current = parents[code]
        while let unit = current, result.count < 16, !result.contains(unit) {
            result.append(unit)
            current = parents[unit]
        }
        return result
    }

    /// The root of the tree: the committee whose figures are the nation's. (The first committee
    /// without a parent, by code, should a tree have several.)
    var root: String? {
        kinds.filter { $0.value == .committee && parents[$0.key] == nil }.keys.min()
    }
}
