import Foundation
import MandateCore

/// Computes a period's ranking from the stored data: the public figures of the method's indicators
/// (`PublicFigure`: a unit's own approved value, else the roll-up below it) and the delivery
/// measures of every active unit of the method's kind, with the indicators' targets resolved into
/// the method.
public struct RankingComputer: Sendable {
    let units: any UnitRepository
    let values: any DataValueRepository
    let indicators: any IndicatorRepository
    let delivery: any DeliveryMeasureSource
    /// The day that decides which periods have begun.
    let today: @Sendable () -> CivilDate

    public init(
        units: any UnitRepository, values: any DataValueRepository, indicators: any IndicatorRepository,
        delivery: any DeliveryMeasureSource, today: @escaping @Sendable () -> CivilDate
    ) {
        self.units = units
        self.values = values
        self.indicators = indicators
        self.delivery = delivery
        self.today = today
    }

    /// A computed ranking, not yet published: the method as applied, the result, and the inputs'
    /// canonical CSV (whose SHA-256 is the result's `inputDigest`).
    public struct Computed: Sendable {
        public var method: RankingMethod
        public var result: RankingResult
        public var inputsCSV: String
    }

    /// The ranking of `period` by `method`, with the change since `previous` (default:
    /// `period.rankingPrevious`, which `mandate rank` takes too) and the method's Monte Carlo. A
    /// period that has not begun is refused (`RankedPeriods`).
    public func compute(_ method: RankingMethod, period: Period, previous: Period?) async throws -> Computed {
        let previous = previous ?? period.rankingPrevious
        try RankedPeriods.check(period, previous: previous, today: today())
        let byCode = Dictionary(uniqueKeysWithValues: try await indicators.list().map { ($0.code, $0) })
        let resolved = method.resolvingTargets(year: period.year, indicators: byCode)
        let unitCodes = try await units.list(UnitQuery(kind: method.unitKind, limit: 1_000_000)).items.map(\.code)
        let current = try await table(resolved, period: period, units: unitCodes, indicators: byCode)
        var before: RankingTable?
        if let previous {
            before = try await table(resolved, period: previous, units: unitCodes, indicators: byCode)
        }
        var result = try await RankingEngine(method: resolved).rank(
            current, previous: before, workers: ProcessInfo.processInfo.activeProcessorCount)
        let inputs = RankingTable.canonicalCSV([current] + (before.map { [$0] } ?? []))
        result.inputDigest = RankingTable.digest(text: inputs)
        return Computed(method: resolved, result: result, inputsCSV: inputs)
    }

    func table(
        _ method: RankingMethod, period: Period, units: [String], indicators: [String: Indicator]
    ) async throws -> RankingTable {
        let listed = Set(units)
        var rows: [String: [String: Double]] = [:]
        // Each unit's public figure: its own approved value, else the roll-up below it (`PublicFigure`).
        let codes = Set(
            method.components.compactMap { component -> String? in
                if case .indicator(let code) = component.source { return code }
                return nil
            })
        for code in codes.sorted() {
            guard let indicator = indicators[code] else { continue }
            for (unit, figures) in try await values.figures(of: indicator, units: [], periods: [period.id])
            where listed.contains(unit) {
                if let figure = figures[period.id] { rows[unit, default: [:]][code] = figure.value }
            }
        }
        let used = Set(method.components.map(\.source.key))
        for (unit, measures) in try await delivery.measures(kind: method.unitKind, period: period)
        where listed.contains(unit) {
            for (measure, value) in measures where used.contains(RankingSource.delivery(measure).key) {
                rows[unit, default: [:]][RankingSource.delivery(measure).key] = value
            }
        }
        return RankingTable(period: period.id, values: rows, units: units)
    }
}
