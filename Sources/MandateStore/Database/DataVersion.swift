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

    /// Gives the data a newer version: larger than the last by a random step, not by one, so that
    /// a copy loaded inside a transaction that then rolls back is kept under a version the next
    /// commit will not take (versions only grow: see `TaskViewCache`).
    static func bump(_ name: String, on db: any SQLDatabase) async throws {
        let step = SQLLiteral.numeric(String(randomStep()))
        try await db.update("data_versions")
            .set("version", to: SQLBinaryExpression(SQLIdentifier("version"), .add, step))
            .where("name", .equal, name).run()
    }

    /// How far a version moves: at random, so that no two commits are likely to take the same one.
    static func randomStep() -> Int64 {
        Int64.random(in: 1...(1 << 32))
    }

    static func read(_ name: String, on db: any SQLDatabase) async throws -> Int64 {
        try await db.select().column("version").from("data_versions").where("name", .equal, name)
            .first(decodingColumn: "version", as: Int64.self) ?? 0
    }
}
