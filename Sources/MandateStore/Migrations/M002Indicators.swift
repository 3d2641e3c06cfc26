import SQLKit

/// Indicators with their targets and validation rules, data values with their history, and the
/// roll-up totals kept per (indicator, unit, period).
struct M002Indicators: Migration {
    let name = "002-indicators"

    func prepare(on db: any SQLDatabase, flavor: SQLFlavor) async throws {
        try await db.create(table: "indicators")
            .column("code", type: .text, .primaryKey(autoIncrement: false))
            .column("name_vi", type: .text, .notNull)
            .column("name_en", type: .text, .notNull)
            .column("unit_of_measure", type: .text, .notNull)
            .column("value_type", type: .text, .notNull)
            .column("direction", type: .text, .notNull)
            .column("frequency", type: .text, .notNull)
            // Unit kinds joined by ";", e.g. "province;commune".
            .column("applies_to", type: .text, .notNull)
            .column("rollup_method", type: .text, .notNull)
            .column("rollup_denominator", type: .text)
            .column("due_days", type: .int, .notNull)
            .column("illustrative", type: ColumnType.boolean, .notNull)
            .column("updated_at", type: ColumnType.timestamp, .notNull)
            .run()

        try await db.create(table: "indicator_targets")
            .column("indicator_code", type: .text, .notNull, .references("indicators", "code", onDelete: .cascade))
            .column("year", type: .int, .notNull)
            .column("value", type: ColumnType.double, .notNull)
            .primaryKey("indicator_code", "year")
            .run()

        try await db.create(table: "validation_rules")
            .column("code", type: .text, .primaryKey(autoIncrement: false))
            .column("kind", type: .text, .notNull)
            .column("indicator_code", type: .text, .notNull, .references("indicators", "code"))
            .column("minimum", type: ColumnType.double)
            .column("maximum", type: ColumnType.double)
            .column("comparison", type: .text)
            .column("other_code", type: .text, .references("indicators", "code"))
            .column("message", type: .text, .notNull)
            .run()

        // No foreign keys here: a million-row import checks codes once, in memory, before writing.
        try await db.create(table: "data_values")
            .column("indicator_code", type: .text, .notNull)
            .column("unit_code", type: .text, .notNull)
            .column("period", type: .text, .notNull)
            .column("value", type: ColumnType.double, .notNull)
            .column("comment", type: .text)
            .column("evidence", type: .text)
            .column("status", type: .text, .notNull)
            .column("entered_by", type: .text)
            .column("entered_at", type: ColumnType.timestamp, .notNull)
            .column("first_reported_at", type: ColumnType.timestamp, .notNull)
            .column("late", type: ColumnType.boolean, .notNull)
            .column("approved_by", type: .text)
            .column("approved_at", type: ColumnType.timestamp)
            .primaryKey("indicator_code", "unit_code", "period")
            .run()
        try await db.create(index: "data_values_unit_period").on("data_values").column("unit_code").column("period")
            .run()

        try await db.create(table: "data_value_history")
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("indicator_code", type: .text, .notNull)
            .column("unit_code", type: .text, .notNull)
            .column("period", type: .text, .notNull)
            .column("value", type: ColumnType.double, .notNull)
            .column("comment", type: .text)
            .column("evidence", type: .text)
            .column("status", type: .text, .notNull)
            .column("entered_by", type: .text)
            .column("entered_at", type: ColumnType.timestamp, .notNull)
            .column("replaced_at", type: ColumnType.timestamp, .notNull)
            .column("replaced_by", type: .text)
            .run()
        try await db.create(index: "data_value_history_key").on("data_value_history")
            .column("indicator_code").column("unit_code").column("period").run()

        // Totals over the approved values below each unit, updated by differences in the writing transaction.
        try await db.create(table: "rollup_totals")
            .column("indicator_code", type: .text, .notNull)
            .column("unit_code", type: .text, .notNull)
            .column("period", type: .text, .notNull)
            .column("value_sum", type: ColumnType.double, .notNull)
            .column("value_count", type: .bigint, .notNull)
            .column("weighted_sum", type: ColumnType.double, .notNull)
            .column("weight_sum", type: ColumnType.double, .notNull)
            .primaryKey("indicator_code", "unit_code", "period")
            .run()
    }
}
