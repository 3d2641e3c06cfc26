import MandateCore

/// The feedback module's delivery measure as rankings read it: the share of comments answered on
/// time (`Feedback.answeredOnTimeRates`) as of the period's last day, or today while the period
/// runs, as a percentage.
public struct FeedbackDeliveryMeasures: DeliveryMeasureSource {
    let feedback: any FeedbackRepository
    let units: any UnitRepository
    let today: @Sendable () -> CivilDate

    public init(
        feedback: any FeedbackRepository, units: any UnitRepository, today: @escaping @Sendable () -> CivilDate
    ) {
        self.feedback = feedback
        self.units = units
        self.today = today
    }

    public var provides: Set<RankingSource.DeliveryMeasure> { [.feedbackAnsweredOnTime] }

    public func measures(
        kind: UnitKind, period: Period
    ) async throws -> [String: [RankingSource.DeliveryMeasure: Double]] {
        let kinds = try await units.kinds()
        let rates = try await feedback.answeredOnTimeRates(on: min(period.end, today()))
        var result: [String: [RankingSource.DeliveryMeasure: Double]] = [:]
        for (unit, rate) in rates where kinds[unit] == kind { result[unit] = [.feedbackAnsweredOnTime: rate * 100] }
        return result
    }
}
