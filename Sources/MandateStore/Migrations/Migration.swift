import SQLKit

/// One step of the schema, applied once, in order, inside a transaction.
public protocol Migration: Sendable {
    /// A unique, never-changing name; applied steps are recorded by it.
    var name: String { get }
    func prepare(on database: any SQLDatabase, flavor: SQLFlavor) async throws
}

/// Column types spelled the same way for SQLite and PostgreSQL.
enum ColumnType {
    static let double = SQLDataType.custom(SQLRaw("DOUBLE PRECISION"))
    static let boolean = SQLDataType.custom(SQLRaw("BOOLEAN"))
    /// ISO-8601 UTC text: sorts in time order, reads the same in both engines.
    static let timestamp = SQLDataType.text
}
