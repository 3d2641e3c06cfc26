import SQLKit

/// A version per indicator and period, bumped in every transaction that changes a public figure of
/// that slice: an approved value created, changed or withdrawn, a roll-up total moved, the totals
/// of the indicator rebuilt (`FigureVersions`). A copy of a slice's figures kept at a version is
/// current while its row holds it (`KeptSlices`). A slice without a row is at version 0.
struct M015FigureVersions: Migration {
    let name = "015-figure-versions"

    func prepare(on db: any SQLDatabase, flavor: SQLFlavor) async throws {
        try await db.create(table: "figure_versions")
            .column("indicator_code", type: .text, .notNull)
            .column("period", type: .text, .notNull)
            .column("version", type: .bigint, .notNull)
            .primaryKey("indicator_code", "period")
            .run()
    }
}
