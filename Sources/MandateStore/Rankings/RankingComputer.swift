import Foundation
import MandateCore

/// Computes a period's ranking from the stored data: the public figures of the method's indicators
/// (`PublicFigure`: a unit's own approved value, else the roll-up below it), the delivery
/// measures and the counts of citizens' ratings of every active unit of the method's kind, with
/// the indicators' targets resolved into the method.
public struct RankingComputer: Sendable {
    let units: any UnitRepository
    let values: any DataValueRepository
    public let indicators: any IndicatorRepository
    let delivery: any DeliveryMeasureSource
    let satisfaction: any SatisfactionCountSource
    /// The day that decides which periods have begun.
    let today: @Sendable () -> CivilDate

    public init(
        units: any UnitRepository, values: any DataValueRepository, indicators: any IndicatorRepository,
        delivery: any DeliveryMeasureSource, satisfaction: any SatisfactionCountSource,
        today: @escaping @Sendable () -> CivilDate
    ) {
        self.units = units
        self.values = values
        self.indicators = indicators
        self.delivery = delivery
        self.satisfaction = satisfaction
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
        let unitCodes = try await units.codes(of: method.unitKind)
        let tables = try await tables(
            resolved, periods: [period] + (previous.map { [$0] } ?? []), units: unitCodes, indicators: byCode)
        let current = tables[0]
        let before = tables.count > 1 ? tables[1] : nil
        var result = try await RankingEngine(method: resolved).rank(
            current, previous: before, workers: ProcessInfo.processInfo.activeProcessorCount)
        let inputs = RankingTable.canonicalCSV(tables)
        result.inputDigest = RankingTable.digest(text: inputs)
        return Computed(method: resolved, result: result, inputsCSV: inputs)
    }

    /// The tables of `periods`, in that order. Each indicator's figures are read as slices (every
    /// unit of a period), kept while no write moves them (`DataValueRepository.slices`).
    func tables(
        _ method: RankingMethod, periods: [Period], units: [String], indicators: [String: Indicator]
    ) async throws -> [RankingTable] {
        // Built column by column, each aligned with the units in code order.
        let sorted = units.sorted(by: RankingTable.codeOrder)
        var position: [String: Int] = [:]
        for (index, unit) in sorted.enumerated() { position[unit] = index }
        let empty = [Double?](repeating: nil, count: sorted.count)
        var columns = [String: [String: [Double?]]]()
        // Each unit's public figure: its own approved value, else the roll-up below it (`PublicFigure`).
        let codes = Set(
            method.components.compactMap { component -> String? in
                if case .indicator(let code) = component.source { return code }
                return nil
            })
        for code in codes.sorted() {
            guard let indicator = indicators[code] else { continue }
            for (period, figures) in try await values.slices(of: indicator, periods: periods.map(\.id)) {
                var column = empty
                var any = false
                for (unit, figure) in figures {
                    guard let index = position[unit] else { continue }
                    column[index] = figure.value
                    any = true
                }
                if any { columns[period, default: [:]][code] = column }
            }
        }
        let used = Set(method.components.map(\.source.key))
        let wanted = Set(
            method.components.compactMap { component -> RankingSource.DeliveryMeasure? in
                if case .delivery(let measure) = component.source { return measure }
                return nil
            })
        for period in periods {
            var measured: [String: [Double?]] = [:]
            for (unit, measures) in try await delivery.measures(
                kind: method.unitKind, period: period, wanted: wanted)
            {
                guard let index = position[unit] else { continue }
                for (measure, value) in measures where used.contains(RankingSource.delivery(measure).key) {
                    measured[RankingSource.delivery(measure).key, default: empty][index] = value
                }
            }
            columns[period.id, default: [:]].merge(measured) { first, _ in first }
            // Satisfaction: the counts of ratings and of satisfied ones (`RankingSource.inputKeys`).
            for component in method.components {
                guard case .satisfaction(let measure) = component.source else { continue }
                let keys = component.source.inputKeys
                var (satisfied, ratings) = (empty, empty)
                var any = false
                for (unit, count) in try await satisfaction.satisfactionCounts(
                    measure: measure, kind: method.unitKind, period: period)
                {
                    guard let index = position[unit] else { continue }
                    (satisfied[index], ratings[index]) = (Double(count.satisfied), Double(count.ratings))
                    any = true
                }
                if any {
                    columns[period.id, default: [:]][keys[0]] = satisfied
                    columns[period.id, default: [:]][keys[1]] = ratings
                }
            }
        }
        return periods.map { RankingTable(period: $0.id, sortedUnits: sorted, columns: columns[$0.id] ?? [:]) }
    }
}
