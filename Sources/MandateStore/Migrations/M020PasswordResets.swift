import SQLKit

/// One-time links to set a new password (`PasswordReset`): only a digest of each link's secret,
/// its account, who made it, when, until when, and when it was used.
struct M020PasswordResets: Migration {
    let name = "020-password-resets"

    func prepare(on db: any SQLDatabase, flavor: SQLFlavor) async throws {
        try await db.create(table: "password_resets")
            .column("token_hash", type: .text, .primaryKey(autoIncrement: false))
            .column("user_id", type: .text, .notNull, .references("users", "id"))
            .column("issued_by", type: .text, .notNull)
            .column("issued_at", type: ColumnType.timestamp, .notNull)
            .column("expires_at", type: ColumnType.timestamp, .notNull)
            .column("used_at", type: ColumnType.timestamp)
            .run()
        try await db.create(index: "password_resets_user").on("password_resets").column("user_id").run()
    }
}
