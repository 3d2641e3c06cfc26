import SQLKit

/// A reporter's correction of an approved value waits here for the unit head's approval, while the
/// approved value stays public (in `data_values`): a correction alone moves no published figure,
/// roll-up or ranking.
struct M011PendingCorrections: Migration {
    let name = "011-pending-corrections"

    func prepare(on db: any SQLDatabase, flavor: SQLFlavor) async throws {
        try await db.create(table: "data_value_corrections")
            .column("indicator_code", type: .text, .notNull)
            .column("unit_code", type: .text, .notNull)
            .column("period", type: .text, .notNull)
            .column("value", type: ColumnType.double, .notNull)
            .column("comment", type: .text)
            .column("evidence", type: .text)
            .column("entered_by", type: .text)
            .column("entered_at", type: ColumnType.timestamp, .notNull)
            .primaryKey("indicator_code", "unit_code", "period")
            .run()
    }
}
