import SQLKit

/// Samples of a database's distributions checked against their declared format and columns
/// (`SampleCheck`): the latest decides the clean quality.
struct M029CatalogueSamples: Migration {
    let name = "029-catalogue-samples"

    func prepare(on db: any SQLDatabase, flavor: SQLFlavor) async throws {
        try await db.create(table: "catalogue_samples")
            .column("code", type: .text, .notNull)
            .column("distribution", type: .int, .notNull)
            .column("checked_on", type: .text, .notNull)
            .column("rows", type: .bigint, .notNull)
            .column("duplicates", type: .bigint, .notNull)
            .column("problems", type: .text, .notNull)
            .column("recorded_at", type: ColumnType.timestamp, .notNull)
            .column("recorded_by", type: .text)
            .run()
        try await db.raw("CREATE INDEX catalogue_samples_code ON catalogue_samples (code, recorded_at)").run()
    }
}
