import SQLKit

/// The transparency log: leaves (published facts), stored tree hashes, signed checkpoints.
struct M003TransparencyLog: Migration {
    let name = "003-transparency-log"

    func prepare(on db: any SQLDatabase, flavor: SQLFlavor) async throws {
        try await db.create(table: "log_entries")
            .column("idx", type: .bigint, .primaryKey(autoIncrement: false))
            .column("fact_key", type: .text, .notNull, .unique)
            .column("kind", type: .text, .notNull)
            // The canonical bytes of the fact (UTF-8 JSON), exactly as hashed into the leaf.
            .column("data", type: .text, .notNull)
            .column("leaf_hash", type: .text, .notNull)
            .column("published_at", type: ColumnType.timestamp, .notNull)
            .run()
        // Hashes by their tlog stored-hash index (see StoredHashIndex), hex.
        try await db.create(table: "log_hashes")
            .column("idx", type: .bigint, .primaryKey(autoIncrement: false))
            .column("hash", type: .text, .notNull)
            .run()
        try await db.create(table: "log_checkpoints")
            .column("size", type: .bigint, .primaryKey(autoIncrement: false))
            .column("root", type: .text, .notNull)
            .column("note", type: .text, .notNull)
            .column("signed_at", type: ColumnType.timestamp, .notNull)
            .run()
    }
}
