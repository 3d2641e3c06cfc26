import MandateCore
import SQLKit

extension ValueWriter {
    /// Computes the roll-up totals of `codes` afresh from the approved values, in place of the stored
    /// ones: after a definition changes how an indicator rolls up (its rule, its denominator, the
    /// kinds that report it), or the rule for which units count changes.
    func rebuildTotals(of codes: some Collection<String>) async throws {
        for code in Set(codes) {
            try await db.delete(from: "rollup_totals").where("indicator_code", .equal, code).run()
            guard let indicator = indicators[code], indicator.rollup.method != .none else { continue }
            var weighted = SQLRaw("NULL") as any SQLExpression
            if let denominator = indicator.rollup.denominator {
                weighted = SQLQueryString(
                    """
                    (SELECT w.value FROM data_values w WHERE w.indicator_code = \(bind: denominator)
                    AND w.unit_code = d.unit_code AND w.period = d.period AND w.status = 'approved')
                    """)
            }
            let rows = try await db.raw(
                """
                SELECT d.unit_code AS unit, d.period AS period, d.value AS value, \(weighted) AS weight
                FROM data_values d WHERE d.indicator_code = \(bind: code) AND d.status = 'approved'
                """
            ).all()
            var totals: [TotalsKey: RollupTotals] = [:]
            for row in rows {
                let unit = try row.decode(column: "unit", as: String.self)
                guard rollsUp(code, from: unit) else { continue }
                let period = try row.decode(column: "period", as: String.self)
                let share = RollupTotals(
                    value: try row.decode(column: "value", as: Double.self),
                    weight: try row.decode(column: "weight", as: Double?.self))
                for ancestor in units.ancestors(of: unit) {
                    totals[TotalsKey(indicator: code, unit: ancestor, period: period), default: .zero] += share
                }
            }
            try await Self.add(totals, on: db)
        }
    }
}
