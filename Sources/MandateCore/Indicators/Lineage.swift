/// A value of a series: reported by the unit itself, or re-based from the units it took over.
public struct SeriesPoint: Codable, Sendable, Hashable {
    public var period: String
    public var value: Double
    /// Empty when the unit reported the value itself; else the predecessors it was re-based from.
    public var rebasedFrom: [String]

    public init(period: String, value: Double, rebasedFrom: [String] = []) {
        self.period = period
        self.value = value
        self.rebasedFrom = rebasedFrom
    }
}

/// Re-basing of values reported under former units (e.g. the 63 provinces before 1 July 2025)
/// onto the unit that took them over, so that series run on across a merger.
public enum Lineage {
    /// The successor's value from its predecessors' values, by the indicator's roll-up rule: a sum
    /// adds them, a mean averages them, a weighted mean weighs them by the denominator. With the
    /// rule `none` only a single predecessor carries over (a rename); several cannot be combined.
    public static func rebase(_ method: RollupMethod, _ values: [(value: Double, weight: Double?)]) -> Double? {
        if method == .none { return values.count == 1 ? values[0].value : nil }
        return Rollup.combine(method, values)
    }

    /// The unit's series: its own values, and for periods where it has none, its predecessors'
    /// values re-based. `values` and `weights` hold, by unit code, values keyed by period.
    public static func series(
        unit: String, predecessors: [String], method: RollupMethod, values: [String: [String: Double]],
        weights: [String: [String: Double]] = [:]
    ) -> [SeriesPoint] {
        var periods = Set(values[unit]?.keys.map { $0 } ?? [])
        for code in predecessors { periods.formUnion(values[code]?.keys.map { $0 } ?? []) }
        var points: [SeriesPoint] = []
        for period in periods.sorted(by: Self.chronological) {
            if let own = values[unit]?[period] {
                points.append(SeriesPoint(period: period, value: own))
                continue
            }
            let reporting = predecessors.filter { values[$0]?[period] != nil }
            let inputs = reporting.compactMap { code in
                values[code]?[period].map { (value: $0, weight: weights[code]?[period]) }
            }
            if let value = rebase(method, inputs) {
                points.append(SeriesPoint(period: period, value: value, rebasedFrom: reporting))
            }
        }
        return points
    }

    static func chronological(_ lhs: String, _ rhs: String) -> Bool {
        switch (try? Period(lhs), try? Period(rhs)) {
        case (let left?, let right?): left < right
        default: lhs < rhs
        }
    }
}
