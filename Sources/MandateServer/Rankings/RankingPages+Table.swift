import Foundation
import MandateCore

extension RankingPages {
    /// What the ranking table shows: every unit with rank, interval, score, change and pillars.
    func table(_ method: RankingMethod, _ result: RankingResult, _ language: Language) async throws -> [String: Any] {
        let names = try await unitNames(method.unitKind)
        let pillars = method.pillars.map { language == .vi ? $0.nameVi : $0.nameEn }
        let rows = result.units.map { unit -> [String: Any] in
            var row: [String: Any] = [
                "code": unit.unit, "name": names[unit.unit] ?? unit.unit, "rank": unit.rank.map(String.init) ?? "–",
                "score": Self.score(unit.score, language),
                "pillars": unit.pillars.map { Self.score($0.score, language) },
                "ranked": unit.rank != nil,
            ]
            if let interval = unit.interval {
                row["interval"] = "\(interval.low)–\(interval.high)"
                row["median"] = interval.median
            }
            if let change = unit.rankChange { row["rankChange"] = Self.signed(change) }
            if let change = unit.scoreChange { row["scoreChange"] = Self.score(change, language, signed: true) }
            if let improvement = unit.improvementRank { row["improvementRank"] = improvement }
            return row
        }
        let improved = result.mostImproved.prefix(10).map { unit -> [String: Any] in
            [
                "name": names[unit.unit] ?? unit.unit, "code": unit.unit, "rank": unit.improvementRank ?? 0,
                "scoreChange": Self.score(unit.scoreChange, language, signed: true),
            ]
        }
        let draws = result.uncertainty?.draws ?? 0
        // The chart is drawn for rankings of a few dozen units (provinces, ministries); a commune
        // ranking keeps to its table.
        let ranked = result.units.filter { $0.rank != nil && $0.score != nil }
        var chart: String?
        if !ranked.isEmpty && ranked.count <= Self.chartedUnits {
            chart =
                RankChart(
                    id: "rank-chart", title: "\(name(of: method, language)), \(result.period)",
                    rows: ranked.map { unit in
                        RankChart.Row(
                            name: names[unit.unit] ?? unit.unit, href: "/units/\(unit.unit)", rank: unit.rank ?? 0,
                            low: unit.interval?.low, high: unit.interval?.high, score: unit.score ?? 0)
                    }, count: ranked.count, rankWord: pages.text("chart_rank", language),
                    scoreWord: pages.text("chart_score", language), intervalWord: pages.text("chart_interval", language)
                ).svg
        }
        var data: [String: Any] = [
            "methodId": method.id, "methodVersion": method.version, "methodName": name(of: method, language),
            "period": result.period, "previousPeriod": result.previousPeriod ?? "", "pillars": pillars,
            "rows": rows, "improved": improved, "hasImproved": !improved.isEmpty,
            "intervalHint": pages.text("rankings_intervalHint", language)
                .replacingOccurrences(of: "{draws}", with: draws.formatted(language))
                .replacingOccurrences(
                    of: "{spread}", with: ((result.uncertainty?.weightSpread ?? 0) * 100).formatted(language)),
            "hasIntervals": draws > 0,
        ]
        if let chart { data["chart"] = chart }
        if let missing = result.previousMissingComponents, let previous = result.previousPeriod, !missing.isEmpty {
            data["previousMissing"] = previousMissingNote(method, missing, previous: previous, result.period, language)
        }
        return data
    }

    /// The most units a ranking's chart shows.
    static let chartedUnits = 80

    /// Says which components the previous period lacks, each with its pillar's name: the change
    /// since then compares scores made of different components.
    func previousMissingNote(
        _ method: RankingMethod, _ missing: [String], previous: String, _ period: String, _ language: Language
    ) -> String {
        var pillarOf: [String: String] = [:]
        for pillar in method.pillars {
            for component in pillar.components {
                pillarOf[component.code] = language == .vi ? pillar.nameVi : pillar.nameEn
            }
        }
        let components = missing.map { code in pillarOf[code].map { "\(code) (\($0))" } ?? code }
        return pages.text("rankings_previousMissing", language)
            .replacingOccurrences(of: "{previous}", with: previous)
            .replacingOccurrences(of: "{period}", with: period)
            .replacingOccurrences(of: "{components}", with: components.joined(separator: ", "))
    }

    /// What changed since the draft the analyst was shown, in the page's language.
    func text(of change: ReviewedDraft.Change, _ language: Language) -> String {
        let (key, reviewed, current) =
            switch change {
            case .methodVersion(let reviewed, let current):
                ("rankings_changedMethodVersion", "\(reviewed)", "\(current)")
            case .inputs(let reviewed, let current): ("rankings_changedInputs", reviewed, current)
            case .method(let reviewed, let current): ("rankings_changedMethod", reviewed, current)
            }
        return pages.text(key, language).replacingOccurrences(of: "{reviewed}", with: reviewed)
            .replacingOccurrences(of: "{current}", with: current)
    }
}
