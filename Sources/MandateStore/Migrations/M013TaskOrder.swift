import SQLKit

/// Task lists are ordered by working deadline, then code: an index in that order lets a page of
/// them be read from its first rows instead of sorting all of them (50,000 at national scale) for
/// every page and every count of the overview. It replaces the index on the deadline alone.
struct M013TaskOrder: Migration {
    let name = "013-task-order"

    func prepare(on db: any SQLDatabase, flavor: SQLFlavor) async throws {
        try await db.create(index: "tasks_working_order").on("tasks").column("working_deadline").column("code").run()
        try await db.drop(index: "tasks_working_deadline").run()
    }
}
