import SQLKit

/// Counters in `data_versions`, one per kind of data, bumped inside the transactions that change it.
///
/// A row updated in the writing transaction (rather than a sequence, which moves outside
/// transactions) becomes visible together with the data: whoever reads a version and then the
/// data never sees data older than that version.
enum DataVersion {
    /// Tasks, reports, extensions and recommendations.
    static let tasks = "tasks"
    /// Indicator definitions, their targets and the validation rules.
    static let indicators = "indicators"
    /// The unit tree and its links.
    static let units = "units"

    static func bump(_ name: String, on db: any SQLDatabase) async throws {
        try await db.update("data_versions")
            .set("version", to: SQLBinaryExpression(SQLIdentifier("version"), .add, SQLLiteral.numeric("1")))
            .where("name", .equal, name).run()
    }

    static func read(_ name: String, on db: any SQLDatabase) async throws -> Int64 {
        try await db.select().column("version").from("data_versions").where("name", .equal, name)
            .first(decodingColumn: "version", as: Int64.self) ?? 0
    }
}
