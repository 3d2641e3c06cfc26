import SQLKit

/// A second factor per account (`TOTP`, `SecondFactor`): the authenticator app's secret once set
/// up, one offered but not yet confirmed, and the last step whose code was used (a code is good
/// once). Recovery codes are kept only hashed, each used at most once.
struct M019SecondFactor: Migration {
    let name = "019-second-factor"

    func prepare(on db: any SQLDatabase, flavor: SQLFlavor) async throws {
        try await db.alter(table: "users").column("totp_secret", type: .text).run()
        try await db.alter(table: "users").column("totp_pending", type: .text).run()
        try await db.alter(table: "users").column("totp_last_step", type: .bigint).run()
        try await db.create(table: "recovery_codes")
            .column("user_id", type: .text, .notNull, .references("users", "id"))
            .column("code_hash", type: .text, .notNull)
            .column("used_at", type: ColumnType.timestamp)
            .primaryKey("user_id", "code_hash")
            .run()
    }
}
