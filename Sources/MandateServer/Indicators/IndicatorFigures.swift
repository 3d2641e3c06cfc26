import Foundation
import MandateCore
import MandateStore

/// The public figures of an indicator: a unit's value per period (its own approved value, or else
/// the roll-up of the approved values below it), as the portal's pages and charts show them.
struct IndicatorFigures: Sendable {
    let values: any DataValueRepository

    /// One period's figure of one unit.
    struct Figure: Sendable, Equatable {
        let unit: String
        let period: Period
        let value: Double
    }

    /// The figures of `units` (all units when empty) for an indicator, by unit then period.
    func figures(_ indicator: Indicator, units: [String]) async throws -> [String: [Figure]] {
        var byKey: [String: [String: Double]] = [:]
        for rollup in try await values.rollups(indicator: indicator.code, units: units) {
            if let value = rollup.totals.value(indicator.rollup.method) {
                byKey[rollup.unit, default: [:]][rollup.period] = value
            }
        }
        // A unit's own approved value is its figure where it reported one.
        let own = try await values.list(
            ValueQuery(indicators: [indicator.code], units: units, limit: DataValuesController.maximumExport))
        for value in own { byKey[value.unit, default: [:]][value.period] = value.value }
        var figures: [String: [Figure]] = [:]
        for (unit, periods) in byKey {
            figures[unit] = periods.compactMap { id, value in
                (try? Period(id)).map { Figure(unit: unit, period: $0, value: value) }
            }.sorted { $0.period < $1.period }
        }
        return figures
    }

    /// Where a period ends on a continuous year axis (2025Q4 and 2025 both end at 2026.0), so
    /// that values and yearly targets share one axis.
    static func position(_ period: Period) -> Double {
        let parts = 12 / period.frequency.months
        return Double(period.year) + Double(period.index) / Double(parts)
    }

    /// The value against the target trajectory, as a chart.
    static func trajectory(
        _ indicator: Indicator, figures: [Figure], id: String, title: String, valueWord: String, targetWord: String
    ) -> TrajectoryChart {
        TrajectoryChart(
            id: id, title: title, unit: indicator.unitOfMeasure,
            values: figures.map { .init(label: $0.period.id, position: position($0.period), value: $0.value) },
            targets: indicator.targets.map {
                .init(label: String($0.year), position: Double($0.year + 1), value: $0.value)
            },
            valueWord: valueWord, targetWord: targetWord)
    }
}
