import MandateCore
import SQLKit

extension SQLDataValueRepository {
    public func figures(
        of indicator: Indicator, units: [String], periods: [String]
    ) async throws -> [String: [String: PublicFigure]] {
        try await database.read { db in try await Self.figures(of: indicator, units: units, periods: periods, on: db) }
    }

    public func slices(of indicator: Indicator, periods: [String]) async throws -> [String: [String: PublicFigure]] {
        guard !periods.isEmpty else { return [:] }
        return try await database.read { db in
            let versions = try await FigureVersions.read(indicator.code, periods: periods, on: db)
            var result: [String: [String: PublicFigure]] = [:]
            var missing: [String: KeptSlice] = [:]
            for period in Set(periods) {
                let key = KeptSlice(
                    indicator: indicator.code, period: period, method: indicator.rollup.method,
                    version: versions[period] ?? 0)
                if let kept = keptSlices[key] { result[period] = kept } else { missing[period] = key }
            }
            guard !missing.isEmpty else { return result }
            var read: [String: [String: PublicFigure]] = [:]
            for (unit, figures) in try await Self.figures(
                of: indicator, units: [], periods: Array(missing.keys), on: db)
            {
                for (period, figure) in figures { read[period, default: [:]][unit] = figure }
            }
            for (period, key) in missing {
                let slice = read[period] ?? [:]
                keptSlices.keep(slice, for: key)
                result[period] = slice
            }
            return result
        }
    }

    /// What `figures(of:units:periods:)` reads, on `db`.
    static func figures(
        of indicator: Indicator, units: [String], periods: [String], on db: any SQLDatabase
    ) async throws -> [String: [String: PublicFigure]] {
        func slice(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
            var select = select.where("indicator_code", .equal, indicator.code)
            if !units.isEmpty { select = select.where("unit_code", .in, units) }
            if !periods.isEmpty { select = select.where("period", .in, periods) }
            return select
        }
        var own: [String: [String: Double]] = [:]
        let approved = slice(db.select().columns("unit_code", "period", "value").from("data_values"))
            .where("status", .equal, ValueStatus.approved.rawValue)
        for row in try await approved.all() {
            own[try row.decode(column: "unit_code", as: String.self), default: [:]][
                try row.decode(column: "period", as: String.self)] = try row.decode(
                    column: "value", as: Double.self)
        }
        var below: [String: [String: RollupTotals]] = [:]
        let totals = slice(
            db.select().columns("unit_code", "period", "value_sum", "value_count", "weighted_sum", "weight_sum")
                .from("rollup_totals")
        ).where("value_count", .greaterThan, 0)
        for row in try await totals.all() {
            below[try row.decode(column: "unit_code", as: String.self), default: [:]][
                try row.decode(column: "period", as: String.self)] = try Self.totals(row)
        }
        return PublicFigure.figures(own: own, below: below, method: indicator.rollup.method)
    }

    public func figures(
        of indicators: [Indicator], units: [String]
    ) async throws -> [String: [String: [String: PublicFigure]]] {
        guard !indicators.isEmpty, !units.isEmpty else { return [:] }
        let codes = indicators.map(\.code)
        return try await database.read { db in
            // Both tables are keyed by (indicator, unit, period): the lists are looked up by key.
            var own: [String: [String: [String: Double]]] = [:]
            let approved = db.select().columns("indicator_code", "unit_code", "period", "value").from("data_values")
                .where("indicator_code", .in, codes).where("unit_code", .in, units)
                .where("status", .equal, ValueStatus.approved.rawValue)
            for row in try await approved.all() {
                own[try row.decode(column: "indicator_code", as: String.self), default: [:]][
                    try row.decode(column: "unit_code", as: String.self), default: [:]][
                        try row.decode(column: "period", as: String.self)] = try row.decode(
                        column: "value", as: Double.self)
            }
            var below: [String: [String: [String: RollupTotals]]] = [:]
            let totals = db.select()
                .columns(
                    "indicator_code", "unit_code", "period", "value_sum", "value_count", "weighted_sum", "weight_sum"
                )
                .from("rollup_totals").where("indicator_code", .in, codes).where("unit_code", .in, units)
                .where("value_count", .greaterThan, 0)
            for row in try await totals.all() {
                below[try row.decode(column: "indicator_code", as: String.self), default: [:]][
                    try row.decode(column: "unit_code", as: String.self), default: [:]][
                        try row.decode(column: "period", as: String.self)] = try Self.totals(row)
            }
            var figures: [String: [String: [String: PublicFigure]]] = [:]
            for indicator in indicators {
                let code = indicator.code
                guard own[code] != nil || below[code] != nil else { continue }
                figures[code] = PublicFigure.figures(
                    own: own[code] ?? [:], below: below[code] ?? [:], method: indicator.rollup.method)
            }
            return figures
        }
    }

    /// A `rollup_totals` row's totals.
    static func totals(_ row: any SQLRow) throws -> RollupTotals {
        RollupTotals(
            sum: try row.decode(column: "value_sum", as: Double.self),
            count: try row.decode(column: "value_count", as: Int.self),
            weightedSum: try row.decode(column: "weighted_sum", as: Double.self),
            weight: try row.decode(column: "weight_sum", as: Double.self))
    }
}
