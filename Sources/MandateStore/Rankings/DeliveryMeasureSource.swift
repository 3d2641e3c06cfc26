import MandateCore

/// Where rankings read the task module's delivery measures (on-time rate, overdue count, mean
/// days late, reporting timeliness) per unit for a period.
public protocol DeliveryMeasureSource: Sendable {
    /// Each unit's measures, by unit code, for the units of `kind` in `period`.
    func measures(kind: UnitKind, period: Period) async throws -> [String: [RankingSource.DeliveryMeasure: Double]]
}
