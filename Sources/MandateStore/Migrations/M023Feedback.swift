import SQLKit

/// Citizens' ratings (`Feedback`): no name, e-mail, phone or address, the comment masked before
/// it is written. A comment's digest is unique, so that an identical comment repeated is kept once.
struct M023Feedback: Migration {
    let name = "023-feedback"

    func prepare(on db: any SQLDatabase, flavor: SQLFlavor) async throws {
        var create = db.create(table: "feedback")
            .column("receipt", type: .text, .primaryKey(autoIncrement: false))
            .column("unit_code", type: .text, .notNull)
            .column("task_code", type: .text)
            .column("period", type: .text, .notNull)
            .column("overall", type: .int, .notNull)
        for factor in FeedbackRow.factorColumns { create = create.column(factor, type: .int) }
        try await create
            .column("comment", type: .text)
            .column("comment_digest", type: .text)
            .column("state", type: .text, .notNull)
            .column("received_at", type: ColumnType.timestamp, .notNull)
            .column("illustrative", type: ColumnType.boolean, .notNull)
            .run()
        try await db.raw("CREATE UNIQUE INDEX feedback_comment_digest ON feedback (comment_digest)").run()
        try await db.raw("CREATE INDEX feedback_unit_period ON feedback (unit_code, period)").run()
    }
}
