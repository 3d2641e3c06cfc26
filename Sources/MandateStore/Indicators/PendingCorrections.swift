import MandateCore
import SQLKit

/// Corrections of approved values that wait for approval (`data_value_corrections`, migration 011).
enum PendingCorrections {
    /// Fills in the pending corrections of the approved values among `values`.
    static func attach(to values: inout [DataValueKey: DataValue], on db: any SQLDatabase) async throws {
        let approved = values.values.filter { $0.status == .approved }.map(\.key)
        for (key, correction) in try await fetch(approved, on: db) { values[key]?.pending = correction }
    }

    /// The same for a list of values, kept in its order.
    static func attach(to values: [DataValue], on db: any SQLDatabase) async throws -> [DataValue] {
        let found = try await fetch(values.filter { $0.status == .approved }.map(\.key), on: db)
        guard !found.isEmpty else { return values }
        return values.map { value in
            var value = value
            value.pending = found[value.key]
            return value
        }
    }

    static func fetch(_ keys: [DataValueKey], on db: any SQLDatabase) async throws -> [DataValueKey: PendingCorrection]
    {
        var found: [DataValueKey: PendingCorrection] = [:]
        let rows = try await DataValueRow.keyedRows(
            keys, of: "data_value_corrections",
            columns: [
                "indicator_code", "unit_code", "period", "value", "comment", "evidence", "entered_by", "entered_at",
            ],
            on: db)
        for row in rows {
            let key = DataValueKey(
                indicator: try row.decode(column: "indicator_code", as: String.self),
                unit: try row.decode(column: "unit_code", as: String.self),
                period: try row.decode(column: "period", as: String.self))
            found[key] = PendingCorrection(
                value: try row.decode(column: "value", as: Double.self),
                comment: try row.decode(column: "comment", as: String?.self),
                evidence: try row.decode(column: "evidence", as: String?.self),
                enteredBy: try row.decode(column: "entered_by", as: String?.self),
                enteredAt: try row.decode(column: "entered_at", as: String.self))
        }
        return found
    }

    static func delete(_ key: DataValueKey, on db: any SQLDatabase) async throws {
        try await db.delete(from: "data_value_corrections")
            .where("indicator_code", .equal, key.indicator).where("unit_code", .equal, key.unit)
            .where("period", .equal, key.period)
            .run()
    }

    static func store(_ correction: PendingCorrection, for key: DataValueKey, on db: any SQLDatabase) async throws {
        try await delete(key, on: db)
        try await db.insert(into: "data_value_corrections")
            .columns(
                "indicator_code", "unit_code", "period", "value", "comment", "evidence", "entered_by", "entered_at"
            )
            .values(
                [
                    key.indicator, key.unit, key.period, correction.value, correction.comment, correction.evidence,
                    correction.enteredBy, correction.enteredAt,
                ] as [any Encodable & Sendable]
            )
            .run()
    }
}
