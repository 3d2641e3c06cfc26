/// A unit's public figure for an indicator and period: what the portal, the API and the rankings
/// show for it.
public struct PublicFigure: Codable, Sendable, Hashable {
    /// Where a figure comes from.
    public enum Source: String, Codable, Sendable, CaseIterable {
        /// The unit's own approved value.
        case own
        /// The roll-up of the approved values below the unit, by the indicator's rule.
        case rollup
    }

    public var value: Double
    public var source: Source

    public init(value: Double, source: Source) {
        self.value = value
        self.source = source
    }

    /// The one rule: the unit's own approved value when it has one; else the roll-up by `method` of
    /// the approved values below it (`below`: their totals, nil when none), when that gives a value;
    /// else no figure.
    ///
    /// A province that reported 99 villages with broadband while its communes' values add up to 15
    /// shows 99; one that reported nothing shows 15; one whose communes reported nothing shows none.
    public static func of(own: Double?, below: RollupTotals?, method: RollupMethod) -> PublicFigure? {
        if let own { return PublicFigure(value: own, source: .own) }
        return below?.value(method).map { PublicFigure(value: $0, source: .rollup) }
    }

    /// The figures of units by period (`own` and `below` by unit, then period), each by `of`.
    public static func figures(
        own: [String: [String: Double]], below: [String: [String: RollupTotals]], method: RollupMethod
    ) -> [String: [String: PublicFigure]] {
        var figures: [String: [String: PublicFigure]] = [:]
        for unit in Set(own.keys).union(below.keys) {
            let periods = Set(own[unit]?.keys.map { $0 } ?? []).union(below[unit]?.keys.map { $0 } ?? [])
            for period in periods {
                if let figure = of(own: own[unit]?[period], below: below[unit]?[period], method: method) {
                    figures[unit, default: [:]][period] = figure
                }
            }
        }
        return figures
    }
}
