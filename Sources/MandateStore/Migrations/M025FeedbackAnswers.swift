import SQLKit

/// The unit's answer to a published comment: when the comment was first published (the answer
/// is due from then), one interim reply, and the answer, each with who wrote it.
struct M025FeedbackAnswers: Migration {
    let name = "025-feedback-answers"

    func prepare(on db: any SQLDatabase, flavor: SQLFlavor) async throws {
        try await db.alter(table: "feedback").column("published_at", type: ColumnType.timestamp).run()
        for column in ["interim", "answer", "interim_by", "answered_by"] {
            try await db.alter(table: "feedback").column(column, type: .text).run()
        }
        try await db.alter(table: "feedback").column("interim_at", type: ColumnType.timestamp).run()
        try await db.alter(table: "feedback").column("answered_at", type: ColumnType.timestamp).run()
    }
}
