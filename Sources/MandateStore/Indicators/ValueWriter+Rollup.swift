import MandateCore
import SQLKit

extension ValueWriter {
    struct TotalsKey: Hashable {
        var indicator: String
        var unit: String
        var period: String
    }

    /// For each unit and period a change touches, the totals of every indicator whose share may move
    /// (the changed one, and those it weighs), after minus before, added to each ancestor.
    func rollupDeltas(_ changes: [Change]) async throws -> [TotalsKey: RollupTotals] {
        struct Cell: Hashable {
            var unit: String
            var period: String
        }
        // Only approved values count: drafts before and after move no total.
        guard changes.contains(where: { $0.new.status == .approved || $0.old?.status == .approved }) else {
            return [:]
        }
        var changed: [DataValueKey: Change] = [:]
        var affected: [Cell: Set<String>] = [:]
        for change in changes {
            let key = change.new.key
            changed[key] = change
            guard change.new.status == .approved || change.old?.status == .approved else { continue }
            let cell = Cell(unit: key.unit, period: key.period)
            for code in [key.indicator] + (weighing[key.indicator] ?? []) where rollsUp(code, from: key.unit) {
                affected[cell, default: []].insert(code)
            }
        }
        guard !affected.isEmpty else { return [:] }
        var others: [DataValueKey] = []
        for (cell, codes) in affected {
            for code in codes {
                for needed in [code] + (indicators[code]?.rollup.denominator.map { [$0] } ?? []) {
                    let key = DataValueKey(indicator: needed, unit: cell.unit, period: cell.period)
                    if changed[key] == nil { others.append(key) }
                }
            }
        }
        let stored = others.isEmpty ? [:] : try await DataValueRow.fetch(Array(Set(others)), on: db)
        func approvedValue(_ key: DataValueKey, after: Bool) -> Double? {
            let value = changed[key].map { after ? $0.new : $0.old } ?? stored[key]
            guard let value, value.status == .approved else { return nil }
            return value.value
        }
        var deltas: [TotalsKey: RollupTotals] = [:]
        for (cell, codes) in affected {
            let ancestors = units.ancestors(of: cell.unit)
            for code in codes {
                let denominator = indicators[code]?.rollup.denominator
                func share(after: Bool) -> RollupTotals {
                    let key = DataValueKey(indicator: code, unit: cell.unit, period: cell.period)
                    guard let value = approvedValue(key, after: after) else { return .zero }
                    let weight = denominator.flatMap {
                        approvedValue(DataValueKey(indicator: $0, unit: cell.unit, period: cell.period), after: after)
                    }
                    return RollupTotals(value: value, weight: weight)
                }
                let delta = share(after: true) - share(after: false)
                if delta.isZero { continue }
                for ancestor in ancestors {
                    deltas[TotalsKey(indicator: code, unit: ancestor, period: cell.period), default: .zero] += delta
                }
            }
        }
        return deltas
    }

    /// Whether the values of `unit` for indicator `code` count in its ancestors' roll-ups. A former
    /// unit's do not: today's units cover its ground, and its series goes on in its successor's
    /// (lineage), so counting both would count the same place twice.
    func rollsUp(_ code: String, from unit: String) -> Bool {
        guard let indicator = indicators[code], indicator.rollup.method != .none, let kind = units.kinds[unit],
            units.former[unit] == nil
        else {
            return false
        }
        return indicator.rollupKinds.contains(kind)
    }

    /// Adds differences to the stored totals (creating the rows that do not exist yet).
    static func add(_ deltas: [TotalsKey: RollupTotals], on db: any SQLDatabase) async throws {
        let entries = Array(deltas)
        for batch in entries.chunked(into: 2000) {
            var insert = db.insert(into: "rollup_totals").columns(
                "indicator_code", "unit_code", "period", "value_sum", "value_count", "weighted_sum", "weight_sum")
            for (key, totals) in batch {
                insert = insert.values(
                    [key.indicator, key.unit, key.period, totals.sum, totals.count, totals.weightedSum, totals.weight]
                        as [any Encodable & Sendable])
            }
            try await insert.onConflict(with: ["indicator_code", "unit_code", "period"]) { update in
                var update = update
                for column in ["value_sum", "value_count", "weighted_sum", "weight_sum"] {
                    update = update.set(
                        SQLIdentifier(column), to: SQLRaw("rollup_totals.\(column) + excluded.\(column)"))
                }
                return update
            }.run()
        }
    }
}
