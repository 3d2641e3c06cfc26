import SQLKit

/// What a work plan says of a task beyond who delivers what by when: its English title, its
/// priority, its strategic-technology tags and the indicators it moves (`WorkPlan`). Tags and
/// indicator codes are kept as `;`-separated text: they are read with the task, never searched
/// apart from it.
struct M021WorkPlanFields: Migration {
    let name = "021-work-plan-fields"

    func prepare(on db: any SQLDatabase, flavor: SQLFlavor) async throws {
        try await db.alter(table: "tasks").column("title_en", type: .text).run()
        try await db.alter(table: "tasks").column("priority", type: .text, .notNull, .default("normal")).run()
        try await db.alter(table: "tasks").column("technologies", type: .text, .notNull, .default("")).run()
        try await db.alter(table: "tasks").column("indicators", type: .text, .notNull, .default("")).run()
    }
}
