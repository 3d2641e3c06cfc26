import Foundation
import MandateCore
import MandateStore
import Synchronization

/// Units' series of each indicator (`IndicatorFigures.series`: what `/series` gives, and what a
/// profile, the overview and the indicator list draw as trends), kept between renders with their
/// rows: a commit drops the series it may have changed (`ChangeTags.affectsFigures`) and the next
/// read computes those again, so that a page of 120 trends reads and draws only what a write
/// touched. An approved commune value drops one series of the commune and of each of its
/// ancestors; a draft, a task or another commune's value drops none of them.
///
/// Another process writing to the same SQLite file is not announced (on PostgreSQL every
/// instance's commits are), so a series also expires, between `lifetime` and twice that after it
/// was read, spread so that a page's series do not all expire at once. At most `capacity` units
/// are held; the one read least recently goes first.
final class SeriesBoard: Sendable {
    /// A unit's series of one indicator, with its row as each language shows it.
    struct Series: Sendable {
        let indicator: Indicator
        let points: [SeriesPoint]
        /// The points as figures of the unit, oldest first.
        let figures: [IndicatorFigures.Figure]
    }

    private struct Kept {
        let series: Series
        /// Which keeping of the series this is: a row is kept only with the series it was drawn from.
        let serial: Int
        let expires: ContinuousClock.Instant
        var rows: [Language: TrendRow] = [:]
    }

    private struct UnitSeries {
        /// The units the unit took over, whose figures its series re-base.
        let predecessors: [String]
        var byIndicator: [String: Kept] = [:]
        var lastRead = 0

        func reads(_ unit: String) -> [String] { [unit] + predecessors }
    }

    private struct Table {
        var units: [String: UnitSeries] = [:]
        var journal = ChangeJournal()
        var reads = 0
        var serial = 0
    }

    private let table = Mutex(Table())
    private let lifetime: Duration
    private let capacity: Int

    /// A board told of every commit to `commits`.
    init(lifetime: Duration = .seconds(5), capacity: Int = 64, commits: CommitObservers? = nil) {
        self.lifetime = lifetime
        self.capacity = capacity
        commits?.add { [weak self] in self?.invalidate($0) }
    }

    /// Drops the series a commit that changed `changes` may have changed.
    func invalidate(_ changes: ChangeTags) {
        guard !changes.isNothingPublic else { return }
        table.withLock { table in
            table.journal.record(changes)
            if changes.changesEveryAnswer {
                table.units.removeAll()
                return
            }
            for (unit, kept) in table.units {
                let reads = kept.reads(unit)
                guard changes.affectsFigures(units: reads, indicators: kept.byIndicator.keys) else { continue }
                table.units[unit]?.byIndicator = kept.byIndicator.filter {
                    !changes.affectsFigures(units: reads, indicators: [$0.key])
                }
            }
        }
    }

    /// The series of `unit` of each of `list` (empty when it has no figures), in the list's order,
    /// each with its row in the page's language.
    func rows(
        of unit: String, _ list: [Indicator], page: PageRequest, figures: IndicatorFigures,
        predecessors: @Sendable () async throws -> [String]
    ) async throws -> [(series: Series, row: TrendRow)] {
        let now = ContinuousClock.now
        let language = page.language
        let (kept, generation, known) = table.withLock { table in
            table.reads += 1
            table.units[unit]?.lastRead = table.reads
            let held = table.units[unit]?.byIndicator.filter { $0.value.expires > now } ?? [:]
            return (held, table.journal.generation, table.units[unit]?.predecessors)
        }
        var series = kept.mapValues(\.series)
        var serials = kept.mapValues(\.serial)
        let rows = kept.compactMapValues { $0.rows[language] }
        let missing = list.filter { series[$0.code] == nil }
        if !missing.isEmpty {
            var before = known ?? []
            if known == nil { before = try await predecessors() }
            let computed = try await figures.series(
                of: unit, predecessors: before, indicators: missing, definitions: list)
            for (indicator, points) in computed {
                series[indicator.code] = Series(
                    indicator: indicator, points: points, figures: IndicatorFigures.figures(points, of: unit))
            }
            let kept = keep(
                computed.compactMap { series[$0.0.code] }, of: unit, predecessors: before, since: generation)
            serials.merge(kept) { $1 }
        }
        var drawn: [String: (serial: Int, row: TrendRow)] = [:]
        let result = list.compactMap { indicator -> (series: Series, row: TrendRow)? in
            guard let one = series[indicator.code] else { return nil }
            if let row = rows[indicator.code] { return (one, row) }
            let row = TrendRow(one.indicator, one.figures, page)
            if let serial = serials[indicator.code] { drawn[indicator.code] = (serial, row) }
            return (one, row)
        }
        if !drawn.isEmpty { keep(drawn, of: unit, language: language) }
        return result
    }

    /// Keeps `computed`, read at `generation`, unless a commit since may have changed it; the
    /// serial of each one kept, by indicator code.
    private func keep(
        _ computed: [Series], of unit: String, predecessors: [String], since generation: Int
    ) -> [String: Int] {
        let now = ContinuousClock.now
        let reads = [unit] + predecessors
        return table.withLock { table in
            var serials: [String: Int] = [:]
            if table.units[unit] == nil {
                if table.units.count >= capacity,
                    let oldest = table.units.min(by: { $0.value.lastRead < $1.value.lastRead })
                {
                    table.units[oldest.key] = nil
                }
                table.units[unit] = UnitSeries(predecessors: predecessors, lastRead: table.reads)
            }
            for series in computed {
                let code = series.indicator.code
                let changed = table.journal.changed(after: generation) {
                    $0.affectsFigures(units: reads, indicators: [code])
                }
                guard !changed else { continue }
                table.serial += 1
                serials[code] = table.serial
                table.units[unit]?.byIndicator[code] = Kept(
                    series: series, serial: table.serial, expires: now + spread(lifetime, code))
            }
            return serials
        }
    }

    /// Keeps rows with the series they were drawn from, if still held.
    private func keep(_ drawn: [String: (serial: Int, row: TrendRow)], of unit: String, language: Language) {
        table.withLock { table in
            for (code, drawn) in drawn where table.units[unit]?.byIndicator[code]?.serial == drawn.serial {
                table.units[unit]?.byIndicator[code]?.rows[language] = drawn.row
            }
        }
    }

    /// `lifetime` lengthened by a share of itself that depends on `code`, so that series read
    /// together expire apart.
    private func spread(_ lifetime: Duration, _ code: String) -> Duration {
        let share = code.utf8.reduce(UInt32(2_166_136_261)) { ($0 ^ UInt32($1)) &* 16_777_619 } % 1000
        return lifetime + lifetime * (Double(share) / 1000)
    }
}
