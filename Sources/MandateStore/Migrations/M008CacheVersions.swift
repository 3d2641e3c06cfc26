import SQLKit

/// The versions of the indicator definitions (with the validation rules) and of the unit tree, which
/// every change to them bumps, so that each instance may keep them in memory (see `DefinitionCache`
/// and `UnitTreeCache`).
struct M008CacheVersions: Migration {
    let name = "008-cache-versions"

    func prepare(on db: any SQLDatabase, flavor: SQLFlavor) async throws {
        try await db.insert(into: "data_versions").columns("name", "version")
            .values(DataVersion.indicators, 0).values(DataVersion.units, 0).run()
    }
}
