/// A value of a unit's series: its public figure, or, for a period it has none, its predecessors'
/// figures re-based onto it.
public struct SeriesPoint: Codable, Sendable, Hashable {
    /// Where a point comes from.
    public enum Source: String, Codable, Sendable {
        /// The unit's own approved value.
        case own
        /// The roll-up of the approved values below the unit.
        case rollup
        /// The figures of the units it took over, combined by the indicator's rule.
        case rebased
    }

    public var period: String
    public var value: Double
    /// Empty unless the point is re-based; then the predecessors it was re-based from.
    public var rebasedFrom: [String]
    public var source: Source

    /// A point; its source is `rebased` when it has predecessors, else `own` unless given.
    public init(period: String, value: Double, rebasedFrom: [String] = [], source: Source? = nil) {
        self.period = period
        self.value = value
        self.rebasedFrom = rebasedFrom
        self.source = source ?? (rebasedFrom.isEmpty ? .own : .rebased)
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

    /// The unit's series: its public figures (`PublicFigure`), and for periods where it has none,
    /// its predecessors' figures re-based. `figures` holds, by unit code, the figures by period of
    /// the unit and its predecessors; `weights` the predecessors' figures of the denominator.
    public static func series(
        unit: String, predecessors: [String], method: RollupMethod, figures: [String: [String: PublicFigure]],
        weights: [String: [String: Double]] = [:]
    ) -> [SeriesPoint] {
        var periods = Set(figures[unit]?.keys.map { $0 } ?? [])
        for code in predecessors { periods.formUnion(figures[code]?.keys.map { $0 } ?? []) }
        var points: [SeriesPoint] = []
        for period in chronological(periods) {
            if let own = figures[unit]?[period] {
                points.append(
                    SeriesPoint(period: period, value: own.value, source: own.source == .own ? .own : .rollup))
                continue
            }
            let reporting = predecessors.filter { figures[$0]?[period] != nil }
            let inputs = reporting.compactMap { code in
                figures[code]?[period].map { (value: $0.value, weight: weights[code]?[period]) }
            }
            if let value = rebase(method, inputs) {
                points.append(SeriesPoint(period: period, value: value, rebasedFrom: reporting))
            }
        }
        return points
    }

    /// `periods` oldest first (those that are not periods after, by their text), each read once,
    /// not once per comparison.
    static func chronological(_ periods: some Collection<String>) -> [String] {
        let read = periods.map { (id: $0, period: try? Period($0)) }
        return read.sorted { lhs, rhs in
            switch (lhs.period, rhs.period) {
            case (let left?, let right?): left < right
            default: lhs.id < rhs.id
            }
        }.map(\.id)
    }
}
