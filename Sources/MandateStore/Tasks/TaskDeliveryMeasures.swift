import MandateCore

/// The delivery measures of the task module as rankings read them: `DeliveryMeasures.compute` as
/// of the period's last day (or today, while the period runs), with rates as percentages. The
/// repository keeps them until the task facts change (`KeptDeliveryFacts`).
public struct TaskDeliveryMeasures: DeliveryMeasureSource {
    let tasks: any TaskRepository
    let units: any UnitRepository
    let today: @Sendable () -> CivilDate

    public init(tasks: any TaskRepository, units: any UnitRepository, today: @escaping @Sendable () -> CivilDate) {
        self.tasks = tasks
        self.units = units
        self.today = today
    }

    public var provides: Set<RankingSource.DeliveryMeasure> {
        [.onTimeRate, .overdueCount, .meanDaysLate, .reportingTimeliness]
    }

    public func measures(
        kind: UnitKind, period: Period
    ) async throws
        -> [String: [RankingSource.DeliveryMeasure: Double]]
    {
        let kinds = try await units.kinds()
        let asOf = min(period.end, today())
        let all = try await tasks.deliveryMeasures(asOf: asOf)
        var result: [String: [RankingSource.DeliveryMeasure: Double]] = [:]
        for (unit, measures) in all where kinds[unit] == kind {
            var row: [RankingSource.DeliveryMeasure: Double] = [.overdueCount: Double(measures.overdueCount)]
            if let rate = measures.onTimeRate { row[.onTimeRate] = rate * 100 }
            if let days = measures.meanDaysLate { row[.meanDaysLate] = days }
            if let share = measures.reportingTimeliness { row[.reportingTimeliness] = share * 100 }
            result[unit] = row
        }
        return result
    }
}
