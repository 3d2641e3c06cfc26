import SQLKit

/// What the catalogue's listing filters, searches and counts, in an index of the approved entries
/// only (version 1 and later), in code order: a listing reads the index, not the rows with their entries' JSON, except
/// for the page of rows it shows (50,000 databases are 137 MB of rows, 8 MB of index).
struct M030CatalogueListing: Migration {
    let name = "030-catalogue-listing"

    func prepare(on db: any SQLDatabase, flavor: SQLFlavor) async throws {
        try await db.raw(
            """
            CREATE INDEX catalogue_entries_listed ON catalogue_entries \
            (code, owner, owner_parent, level, access, themes, search, version) WHERE version > 0
            """
        ).run()
    }
}
