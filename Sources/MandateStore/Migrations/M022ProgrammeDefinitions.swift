import SQLKit

/// Programmes defined by the committee as data: the document each carries out (title, number,
/// date), the years it covers, and when it was archived. Programmes stored before have none of
/// these until the committee edits them.
struct M022ProgrammeDefinitions: Migration {
    let name = "022-programme-definitions"

    func prepare(on db: any SQLDatabase, flavor: SQLFlavor) async throws {
        for column in ["basis_title", "basis_number", "basis_date"] {
            try await db.alter(table: "programmes").column(column, type: .text).run()
        }
        try await db.alter(table: "programmes").column("start_year", type: .int).run()
        try await db.alter(table: "programmes").column("end_year", type: .int).run()
        try await db.alter(table: "programmes").column("archived_at", type: ColumnType.timestamp).run()
    }
}
