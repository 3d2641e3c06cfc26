import SQLKit

/// Each task row carries the task data version of the write that last changed its delivery facts
/// (`KeptDeliveryFacts`): the writing transaction clears it, and stamps every cleared row with the
/// version it bumps to. A copy of the facts kept at version V is brought up to date by reading the
/// tasks stamped after V, not all of them (50,000 at national scale). Rows present before this
/// migration carry 0, older than any copy.
struct M014TaskFactsVersion: Migration {
    let name = "014-task-facts-version"

    func prepare(on db: any SQLDatabase, flavor: SQLFlavor) async throws {
        try await db.alter(table: "tasks").column("facts_version", type: .bigint).run()
        try await db.update("tasks").set("facts_version", to: SQLLiteral.numeric("0")).run()
        try await db.create(index: "tasks_facts_version").on("tasks").column("facts_version").run()
    }
}
