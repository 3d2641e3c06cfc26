import Foundation
import MandateCore
import MandateStore

extension PortalPages {
    /// What a unit's profile shows beside its place in the tree: its tasks, its indicators with
    /// their trend, its reporting timeliness this year, and its rank in every published ranking of
    /// its kind.
    func profile(_ unit: OrgUnit, _ page: PageRequest) async throws -> UnitProfile {
        let today = service.clock.today()
        let tasks = try await service.views.list(TaskQuery(unit: unit.code, today: today, limit: 10))
        let taskRows = tasks.items.map { record in
            let status = record.status(today: today)
            return UnitProfile.TaskRow(
                code: record.task.code, title: record.task.title(in: page.language),
                deadline: record.task.deadline.description,
                status: status.rawValue, statusLabel: page.t("taskStatus_\(status.rawValue)"),
                illustrative: record.task.illustrative)
        }
        let indicators = try await indicatorRows(unit, page)
        let ranks = try await ranks(unit, page)
        return UnitProfile(
            tasks: taskRows, hasTasks: tasks.total > 0,
            tasksText: tasks.total > 0 ? page.t("tasks_count", ["total": "\(tasks.total)"]) : nil,
            tasksHref: tasks.total > 0 ? "/tasks?unit=\(unit.code)" : nil,
            indicators: indicators, hasIndicators: !indicators.isEmpty,
            timeliness: try await timeliness(of: unit, today: today), ranks: ranks, hasRanks: !ranks.isEmpty)
    }

    /// Each indicator the unit has a series of (`IndicatorFigures.series`, as `/series` gives it),
    /// with the periods re-based from the units it took over named.
    func indicatorRows(_ unit: OrgUnit, _ page: PageRequest) async throws -> [RowHTML] {
        var rows: [RowHTML] = []
        for (trend, drawn) in try await trends(of: unit.code, try await store.indicators.list(), page) {
            let (indicator, points) = (trend.indicator, trend.points)
            guard let latest = trend.figures.last else { continue }
            var row = drawn
            let rebased = points.filter { $0.source == .rebased }.map(\.period)
            if !rebased.isEmpty { row.rebased = page.t("unit_rebased", ["periods": rebased.joined(separator: ", ")]) }
            row.target = indicator.target(for: latest.period.year).map { page.number($0) }
            rows.append(page.row(.profile, row))
        }
        return rows
    }

    /// How the unit reported this year (`UnitTimeliness`, as the API gives it); nil when it owed
    /// nothing this year.
    func timeliness(of unit: OrgUnit, today: CivilDate) async throws -> UnitProfile.Timeliness? {
        let report = try await UnitTimeliness(indicators: store.indicators, values: store.values, units: store.units)
            .report(of: unit, year: today.year, today: today)
        let summary = report.summary
        guard summary.due + summary.notDue > 0 else { return nil }
        return .init(
            year: today.year, onTime: summary.onTime, late: summary.late, missing: summary.missing,
            notDue: summary.notDue, href: "/api/v1/units/\(unit.code)/timeliness?year=\(today.year)")
    }

    /// The unit's place in every published ranking of its kind.
    func ranks(_ unit: OrgUnit, _ page: PageRequest) async throws -> [UnitProfile.RankRow] {
        var ranks: [UnitProfile.RankRow] = []
        for summary in try await store.rankings.publications() where summary.unitKind == unit.kind {
            guard
                let published = try await store.rankings.published(
                    methodId: summary.methodId, period: summary.period, version: summary.version),
                let place = published.result.unit(unit.code)
            else { continue }
            ranks.append(
                .init(
                    method: page.language == .vi ? published.method.nameVi : published.method.nameEn,
                    period: summary.period,
                    href: "/rankings/\(summary.methodId)/\(summary.period)?version=\(summary.version)",
                    rank: place.rank.map(String.init) ?? "–",
                    of: published.result.units.count(where: { $0.rank != nil }),
                    score: place.score.map { page.number($0) } ?? "–",
                    interval: place.interval.map { "\($0.low)–\($0.high)" }))
        }
        return ranks
    }
}
