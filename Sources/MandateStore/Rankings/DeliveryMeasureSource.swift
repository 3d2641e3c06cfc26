import MandateCore

/// Where rankings read the task module's delivery measures (on-time rate, overdue count, mean
/// days late, reporting timeliness) per unit for a period.
public protocol DeliveryMeasureSource: Sendable {
    /// Each unit's measures, by unit code, for the units of `kind` in `period`.
    func measures(kind: UnitKind, period: Period) async throws -> [String: [RankingSource.DeliveryMeasure: Double]]
    /// The measures this source gives (a ranking that uses none of them does not ask it).
    var provides: Set<RankingSource.DeliveryMeasure> { get }
    /// The measures of `wanted` only, where this source gives any of them.
    func measures(
        kind: UnitKind, period: Period, wanted: Set<RankingSource.DeliveryMeasure>
    ) async throws
        -> [String: [RankingSource.DeliveryMeasure: Double]]
}

extension DeliveryMeasureSource {
    public func measures(
        kind: UnitKind, period: Period, wanted: Set<RankingSource.DeliveryMeasure>
    ) async throws
        -> [String: [RankingSource.DeliveryMeasure: Double]]
    {
        guard !provides.isDisjoint(with: wanted) else { return [:] }
        return try await measures(kind: kind, period: period).mapValues { $0.filter { wanted.contains($0.key) } }
    }
}

/// The measures of several sources, unit by unit (the task module's and the feedback module's).
public struct CombinedDeliveryMeasures: DeliveryMeasureSource {
    let sources: [any DeliveryMeasureSource]

    public init(_ sources: [any DeliveryMeasureSource]) {
        self.sources = sources
    }

    public var provides: Set<RankingSource.DeliveryMeasure> { sources.reduce([]) { $0.union($1.provides) } }

    public func measures(
        kind: UnitKind, period: Period
    ) async throws -> [String: [RankingSource.DeliveryMeasure: Double]] {
        try await measures(kind: kind, period: period, wanted: provides)
    }

    /// Asks only the sources that give a wanted measure.
    public func measures(
        kind: UnitKind, period: Period, wanted: Set<RankingSource.DeliveryMeasure>
    ) async throws -> [String: [RankingSource.DeliveryMeasure: Double]] {
        var combined: [String: [RankingSource.DeliveryMeasure: Double]] = [:]
        for source in sources where !source.provides.isDisjoint(with: wanted) {
            for (unit, row) in try await source.measures(kind: kind, period: period, wanted: wanted) {
                combined[unit, default: [:]].merge(row) { first, _ in first }
            }
        }
        return combined
    }
}

/// Where rankings read citizens' ratings: per unit of a kind, how many ratings a satisfaction
/// measure had in a period and how many of them were satisfied (4 or 5).
public protocol SatisfactionCountSource: Sendable {
    /// The counts of `measure` (`overall` or a SIPAS factor) over the months of `period`, per unit
    /// of `kind` with ratings: the unit's own and those of the units directly below it (a
    /// province's communes), as the unit's satisfaction figures count them.
    func satisfactionCounts(
        measure: String, kind: UnitKind, period: Period
    ) async throws -> [String: (satisfied: Int, ratings: Int)]
}
