import SQLKit

/// Each approved database's statements as the DCAT-AP export writes them, per format: the export
/// streams them rather than decoding and rendering 50,000 entries on every read. A rendering names
/// the version it was made from and its publisher's mark; the export renders again any that no
/// longer match.
struct M031CatalogueRenderings: Migration {
    let name = "031-catalogue-renderings"

    func prepare(on db: any SQLDatabase, flavor: SQLFlavor) async throws {
        try await db.create(table: "catalogue_renderings")
            .column("code", type: .text, .notNull)
            .column("format", type: .text, .notNull)
            .column("version", type: .int, .notNull)
            .column("publisher", type: .text, .notNull)
            .column("body", type: .text, .notNull)
            .primaryKey("code", "format")
            .run()
    }
}
