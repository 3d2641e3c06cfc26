import SQLKit

/// Ranking methods (each version kept, never changed) and published rankings (each version
/// frozen with its method, its inputs and its result).
struct M005Rankings: Migration {
    let name = "005-rankings"

    func prepare(on db: any SQLDatabase, flavor: SQLFlavor) async throws {
        try await db.create(table: "ranking_methods")
            .column("method_id", type: .text, .notNull)
            .column("version", type: .int, .notNull)
            .column("unit_kind", type: .text, .notNull)
            // The method's JSON document, keys sorted.
            .column("document", type: .text, .notNull)
            .column("created_at", type: ColumnType.timestamp, .notNull)
            .primaryKey("method_id", "version")
            .run()
        try await db.create(table: "published_rankings")
            .column("method_id", type: .text, .notNull)
            .column("period", type: .text, .notNull)
            .column("version", type: .int, .notNull)
            .column("method_version", type: .int, .notNull)
            .column("unit_kind", type: .text, .notNull)
            // The method as applied (targets resolved), the result, and the inputs' canonical CSV.
            .column("method_document", type: .text, .notNull)
            .column("result_document", type: .text, .notNull)
            .column("inputs_csv", type: .text, .notNull)
            .column("input_digest", type: .text, .notNull)
            .column("published_at", type: ColumnType.timestamp, .notNull)
            .column("published_by", type: .text)
            .primaryKey("method_id", "period", "version")
            .run()
    }
}
