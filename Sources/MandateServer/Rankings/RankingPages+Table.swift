import Foundation
import MandateCore

extension RankingPages {
    /// What the ranking table shows: every unit with rank, interval, score, change and pillars.
    func table(_ method: RankingMethod, _ result: RankingResult, _ page: PageRequest) async throws -> RankingModel.Table
    {
        let language = page.language
        let names = try await unitNames(method.unitKind)
        let rows = result.units.map { unit in
            RankingModel.Row(
                code: unit.unit, name: names[unit.unit] ?? unit.unit, rank: unit.rank.map(String.init) ?? "–",
                score: Self.score(unit.score, language), pillars: unit.pillars.map { Self.score($0.score, language) },
                ranked: unit.rank != nil, interval: unit.interval.map { "\($0.low)–\($0.high)" },
                median: unit.interval?.median, rankChange: unit.rankChange.map(Self.signed),
                scoreChange: unit.scoreChange.map { Self.score($0, language, signed: true) })
        }
        let improved = result.mostImproved.prefix(10).map { unit in
            RankingModel.Improved(
                name: names[unit.unit] ?? unit.unit, code: unit.unit, rank: unit.improvementRank ?? 0,
                scoreChange: Self.score(unit.scoreChange, language, signed: true))
        }
        let draws = result.uncertainty?.draws ?? 0
        var previousMissing: String?
        if let missing = result.previousMissingComponents, let previous = result.previousPeriod, !missing.isEmpty {
            previousMissing = previousMissingNote(method, missing, previous: previous, result.period, page)
        }
        return RankingModel.Table(
            methodId: method.id, methodVersion: method.version, methodName: name(of: method, language),
            period: result.period, previousPeriod: result.previousPeriod,
            pillars: method.pillars.map { language == .vi ? $0.nameVi : $0.nameEn }, rows: rows,
            improved: Array(improved),
            intervalHint: page.t(
                "rankings_intervalHint",
                ["draws": page.number(draws), "spread": page.number((result.uncertainty?.weightSpread ?? 0) * 100)]),
            hasIntervals: draws > 0, chart: chart(method, result, names: names, page),
            previousMissing: previousMissing)
    }

    /// The most units a ranking's chart shows.
    static let chartedUnits = 80

    /// The chart is drawn for rankings of a few dozen units (provinces, ministries); a commune
    /// ranking keeps to its table.
    func chart(
        _ method: RankingMethod, _ result: RankingResult, names: [String: String], _ page: PageRequest
    ) -> String? {
        let ranked = result.units.filter { $0.rank != nil && $0.score != nil }
        guard !ranked.isEmpty && ranked.count <= Self.chartedUnits else { return nil }
        return RankChart(
            id: "rank-chart", title: "\(name(of: method, page.language)), \(result.period)",
            rows: ranked.map { unit in
                RankChart.Row(
                    name: names[unit.unit] ?? unit.unit, href: "/units/\(unit.unit)", rank: unit.rank ?? 0,
                    low: unit.interval?.low, high: unit.interval?.high, score: unit.score ?? 0)
            }, count: ranked.count, rankWord: page.t("chart_rank"), scoreWord: page.t("chart_score"),
            intervalWord: page.t("chart_interval"), language: page.language
        ).svg
    }

    /// Says which components the previous period lacks, each with its pillar's name: the change
    /// since then compares scores made of different components.
    func previousMissingNote(
        _ method: RankingMethod, _ missing: [String], previous: String, _ period: String, _ page: PageRequest
    ) -> String {
        var pillarOf: [String: String] = [:]
        for pillar in method.pillars {
            for component in pillar.components {
                pillarOf[component.code] = page.language == .vi ? pillar.nameVi : pillar.nameEn
            }
        }
        let components = missing.map { code in pillarOf[code].map { "\(code) (\($0))" } ?? code }
        return page.t(
            "rankings_previousMissing",
            ["previous": previous, "period": period, "components": components.joined(separator: ", ")])
    }

    /// What changed since the draft the analyst was shown, in the page's language.
    func text(of change: ReviewedDraft.Change, _ page: PageRequest) -> String {
        let (key, reviewed, current) =
            switch change {
            case .methodVersion(let reviewed, let current):
                ("rankings_changedMethodVersion", "\(reviewed)", "\(current)")
            case .inputs(let reviewed, let current): ("rankings_changedInputs", reviewed, current)
            case .method(let reviewed, let current): ("rankings_changedMethod", reviewed, current)
            }
        return page.t(key, ["reviewed": reviewed, "current": current])
    }
}
