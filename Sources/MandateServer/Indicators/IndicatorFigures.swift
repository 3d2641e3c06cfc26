import Foundation
import MandateCore
import MandateStore

/// The public figures of an indicator (`PublicFigure`: a unit's own approved value, else the
/// roll-up below it) and a unit's series across the units it took over (`Lineage`): what the
/// portal's pages, their charts and the API show alike.
struct IndicatorFigures: Sendable {
    let values: any DataValueRepository
    let indicators: any IndicatorRepository

    /// One period's figure of one unit.
    struct Figure: Sendable, Equatable {
        let unit: String
        let period: Period
        let value: Double
    }

    /// The figures of `units` (all units when empty) for an indicator, by unit then period.
    func figures(_ indicator: Indicator, units: [String]) async throws -> [String: [Figure]] {
        var figures: [String: [Figure]] = [:]
        for (unit, byPeriod) in try await values.figures(of: indicator, units: units, periods: []) {
            figures[unit] = Self.figures(byPeriod, of: unit)
        }
        return figures
    }

    /// One unit's figures by period as `Figure`s, oldest first.
    static func figures(_ byPeriod: [String: PublicFigure], of unit: String) -> [Figure] {
        byPeriod.compactMap { id, figure in
            (try? Period(id)).map { Figure(unit: unit, period: $0, value: figure.value) }
        }.sorted { $0.period < $1.period }
    }

    /// The series of `unit` of each of `list` (what `series(_:of:predecessors:)` gives for each),
    /// read at once, in the list's order; `definitions` holds the denominators a weighted mean
    /// re-bases by.
    func series(
        of unit: String, predecessors: [String], indicators list: [Indicator], definitions: [Indicator]
    ) async throws -> [(Indicator, [SeriesPoint])] {
        var read = list
        if !predecessors.isEmpty {
            let needed = Set(list.compactMap { $0.rollup.method == .weightedMean ? $0.rollup.denominator : nil })
                .subtracting(list.map(\.code))
            read += definitions.filter { needed.contains($0.code) }
        }
        let all = try await values.figures(of: read, units: [unit] + predecessors)
        return list.map { indicator in
            var weights: [String: [String: Double]] = [:]
            if indicator.rollup.method == .weightedMean, !predecessors.isEmpty, let code = indicator.rollup.denominator
            {
                weights = (all[code] ?? [:]).filter { predecessors.contains($0.key) }.mapValues {
                    $0.mapValues(\.value)
                }
            }
            return (
                indicator,
                Lineage.series(
                    unit: unit, predecessors: predecessors, method: indicator.rollup.method,
                    figures: all[indicator.code] ?? [:], weights: weights)
            )
        }
    }

    /// A series' points as figures of `unit`, oldest first.
    static func figures(_ points: [SeriesPoint], of unit: String) -> [Figure] {
        points.compactMap { point in
            (try? Period(point.period)).map { Figure(unit: unit, period: $0, value: point.value) }
        }
    }

    /// A unit's series: its figures, and for the periods it has none, those of the units it took
    /// over (`predecessors`) re-based onto it by the indicator's rule, a weighted mean weighing
    /// each by its figure of the denominator. `/series` and the unit's profile both show this.
    func series(_ indicator: Indicator, of unit: String, predecessors: [String]) async throws -> [SeriesPoint] {
        let figures = try await values.figures(of: indicator, units: [unit] + predecessors, periods: [])
        var weights: [String: [String: Double]] = [:]
        if indicator.rollup.method == .weightedMean, !predecessors.isEmpty, let code = indicator.rollup.denominator,
            let denominator = try await indicators.get(code: code)
        {
            weights = try await values.figures(of: denominator, units: predecessors, periods: []).mapValues {
                $0.mapValues(\.value)
            }
        }
        return Lineage.series(
            unit: unit, predecessors: predecessors, method: indicator.rollup.method, figures: figures,
            weights: weights)
    }

    /// Where a period ends on a continuous year axis (2025Q4 and 2025 both end at 2026.0), so
    /// that values and yearly targets share one axis.
    static func position(_ period: Period) -> Double {
        let parts = 12 / period.frequency.months
        return Double(period.year) + Double(period.index) / Double(parts)
    }

    /// The value against the target trajectory, as a chart.
    static func trajectory(
        _ indicator: Indicator, figures: [Figure], id: String, title: String, valueWord: String, targetWord: String,
        language: Language
    ) -> TrajectoryChart {
        TrajectoryChart(
            id: id, title: title, unit: indicator.unitOfMeasure,
            values: figures.map { .init(label: $0.period.id, position: position($0.period), value: $0.value) },
            targets: indicator.targets.map {
                .init(label: String($0.year), position: Double($0.year + 1), value: $0.value)
            },
            valueWord: valueWord, targetWord: targetWord, language: language)
    }
}
