import SQLKit

/// Moderation of citizens' comments: why one was hidden, when and by whom it was last moderated,
/// how many times readers reported it since, and the public code readers report it by.
struct M024FeedbackModeration: Migration {
    let name = "024-feedback-moderation"

    func prepare(on db: any SQLDatabase, flavor: SQLFlavor) async throws {
        try await db.alter(table: "feedback").column("reference", type: .text).run()
        try await db.alter(table: "feedback").column("hidden_reason", type: .text).run()
        try await db.alter(table: "feedback").column("moderated_at", type: ColumnType.timestamp).run()
        try await db.alter(table: "feedback").column("moderated_by", type: .text).run()
        try await db.alter(table: "feedback").column("reports", type: .int, .notNull, .default(0)).run()
        try await db.raw("CREATE UNIQUE INDEX feedback_reference ON feedback (reference)").run()
        try await db.raw("CREATE INDEX feedback_state ON feedback (state, unit_code)").run()
    }
}
