import SQLKit

/// Failed sign-ins counted per key (`SignInThrottle`): an account from a client address, or a
/// client address alone, each as a keyed hash, never the address or the e-mail itself. Kept in the
/// database so that the counts hold across restarts and are shared by every instance.
struct M012SignInFailures: Migration {
    let name = "012-sign-in-failures"

    func prepare(on db: any SQLDatabase, flavor: SQLFlavor) async throws {
        try await db.create(table: "sign_in_failures")
            .column("key", type: .text, .primaryKey(autoIncrement: false))
            .column("failures", type: .int, .notNull)
            .column("last_failure_at", type: ColumnType.timestamp, .notNull)
            .run()
    }
}
