import SQLKit

/// What reading tasks at national scale needs: the version of the task data, which every task
/// write bumps in its own transaction, so that derived views (the escalation board, the delivery
/// measures) can be kept and reused until the data changes, by every instance alike.
struct M006TaskReads: Migration {
    let name = "006-task-reads"

    func prepare(on db: any SQLDatabase, flavor: SQLFlavor) async throws {
        try await db.create(table: "data_versions")
            .column("name", type: .text, .primaryKey(autoIncrement: false))
            .column("version", type: .bigint, .notNull)
            .run()
        try await db.insert(into: "data_versions").columns("name", "version").values(DataVersion.tasks, 0).run()
    }
}
