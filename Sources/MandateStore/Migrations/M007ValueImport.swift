import SQLKit

/// Values are found by their key (indicator, unit, period) alone. The second index, on (unit,
/// period), more than doubled the cost of storing a value: a million-row import spent most of its
/// time keeping it. A unit's values are now read through the key, over the indicators.
struct M007ValueImport: Migration {
    let name = "007-value-import"

    func prepare(on db: any SQLDatabase, flavor: SQLFlavor) async throws {
        try await db.drop(index: "data_values_unit_period").ifExists().run()
    }
}
