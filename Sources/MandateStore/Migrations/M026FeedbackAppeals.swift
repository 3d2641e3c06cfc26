import SQLKit

/// The citizen's rating of the unit's answer, and the appeal a poor one opens with the parent
/// unit: which unit, when, and its answer.
struct M026FeedbackAppeals: Migration {
    let name = "026-feedback-appeals"

    func prepare(on db: any SQLDatabase, flavor: SQLFlavor) async throws {
        try await db.alter(table: "feedback").column("answer_rating", type: .int).run()
        for column in ["appeal_unit", "appeal_answer", "appeal_answered_by"] {
            try await db.alter(table: "feedback").column(column, type: .text).run()
        }
        try await db.alter(table: "feedback").column("appealed_at", type: ColumnType.timestamp).run()
        try await db.alter(table: "feedback").column("appeal_answered_at", type: ColumnType.timestamp).run()
    }
}
