import Foundation
import Hummingbird
import MandateCore
import MandateStore

extension PortalPages {
    @Sendable func overview(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = PageRequest(request, context, pages)
        let today = service.clock.today()
        // What an approved value does not change is kept between renders (`KeptParts`): after one,
        // the overview reads its national figures and its feed again, nothing else.
        let language = page.language.rawValue
        let (map, ranking) = try await parts.part("overview map \(language)", reads: [.units, .rankings]) {
            try await provinceMap(page)
        }
        let counts = try await parts.part("overview counts \(language)", reads: [.units]) {
            func count(_ kind: UnitKind) async throws -> String {
                page.number(try await store.units.list(UnitQuery(kind: kind, limit: 1)).total)
            }
            return HomeModel.Counts(
                provinces: try await count(.province), communes: try await count(.commune),
                ministries: try await count(.ministry))
        }
        let delivery = try await parts.part("overview delivery \(language) \(today)", reads: [.tasks]) {
            try await deliverySummary(today: today, page)
        }
        let feed = try await parts.part("overview feed \(language)", reads: [.log, .units, .rankings]) {
            try await self.feed(limit: 12, page)
        }
        let model = HomeModel(
            today: today.description, counts: counts, headlines: try await headlines(page), delivery: delivery,
            feed: feed, map: map, mapRanking: ranking)
        // The layout adds the product's name, which is the home page's heading: the title says what
        // the site is about instead ("Mandate · Mandate" before).
        return try page.page(.home, title: page.t("home_pageTitle"), model: model, scripts: [.live])
            .depending(on: [.unit(try await nationalUnit()), .tasks, .log, .rankings])
    }

    /// Each indicator with a target (or a trend): the latest national figure against the target of
    /// its year, or else the next target set.
    func headlines(_ page: PageRequest) async throws -> [RowHTML] {
        var rows: [RowHTML] = []
        let list = try await store.indicators.list()
        for (trend, drawn) in try await trends(of: try await nationalUnit(), list, page) {
            let (indicator, series) = (trend.indicator, trend.figures)
            guard let latest = series.last, !indicator.targets.isEmpty || series.count > 1 else { continue }
            var row = drawn
            let target =
                indicator.target(for: latest.period.year)
                ?? indicator.targets.last { $0.year > latest.period.year }?.value
            if let target {
                row.target = page.number(target)
                let met = indicator.direction == .higher ? latest.value >= target : latest.value <= target
                row.onTrack = met
                row.targetState = page.t(met ? "home_targetMet" : "home_targetNotMet")
            }
            rows.append(page.row(.headline, row))
        }
        return rows
    }

    /// How delivery stands today, nationally: the escalation board's totals (kept per day and task
    /// data version, so the overview stays fast at national scale) and the number of tasks.
    func deliverySummary(today: CivilDate, _ page: PageRequest) async throws -> [HomeModel.DeliveryCard] {
        let totals = try await service.views.escalation(today: today).totals
        let all = try await service.views.list(TaskQuery(today: today, limit: 1)).total
        func card(_ key: String, _ count: Int, _ href: String, _ status: String) -> HomeModel.DeliveryCard {
            .init(label: page.t(key), count: page.number(count), href: href, status: status)
        }
        return [
            card("home_tasks", all, "/tasks", "all"),
            card("taskStatus_overdue", totals.overdue, "/tasks?status=overdue", "overdue"),
            card("home_dueWithin7", totals.dueWithin7Days, "/escalation", "due"),
            card("home_dueWithin30", totals.dueWithin30Days, "/escalation", "due"),
            card("home_returned", totals.returnedAwaitingResubmission, "/escalation", "returned"),
            card("home_unanswered", totals.unansweredRecommendations, "/recommendations", "pending"),
        ]
    }

    /// The facts most recently published, newest first, among the last `limit` × 4 leaves: the
    /// ratings left out (`PublishedFact.Kind.isAnnounced`), whose figures the pages show instead.
    func feed(limit: Int, _ page: PageRequest) async throws -> [HomeModel.FeedItem] {
        let size = try await store.log.size()
        let window = UInt64(limit * 4)
        let entries = try await store.log.entries(in: (size > window ? size - window : 0)..<size)
        var codes: Set<String> = []
        let facts = entries.reversed().compactMap { entry -> (LogEntry, PublishedFact)? in
            guard let fact = PublishedFact(canonicalBytes: entry.data), fact.kind.isAnnounced else { return nil }
            return (entry, fact)
        }.prefix(limit)
        for (_, fact) in facts { if let unit = fact.fields["unit"] { codes.insert(unit) } }
        let names = try await store.units.names(of: codes)
        // Names, not codes, in the page's language: the indicators' and the ranking methods'.
        let english = page.language == .en
        var indicatorNames: [String: String] = [:]
        for indicator in try await store.indicators.list() {
            indicatorNames[indicator.code] = english ? indicator.nameEn : indicator.nameVi
        }
        var methodNames: [String: String] = [:]
        if facts.contains(where: { $0.1.kind == .publishedRanking }) {
            for method in try await store.rankings.methods() {
                methodNames[method.id] = english ? method.nameEn : method.nameVi
            }
        }
        return facts.map { entry, fact in
            let unit = fact.fields["unit"].map { names[$0] ?? $0 } ?? ""
            let (text, href): (String, String)
            switch fact.kind {
            case .acceptedReport:
                let task = fact.fields["task"] ?? ""
                (text, href) = ("\(task) · \(unit)", "/tasks/\(task)")
            case .approvedValue:
                let indicator = fact.fields["indicator"] ?? ""
                let raw = fact.fields["value"] ?? ""
                let value = Double(raw).map { page.number($0) } ?? raw
                text =
                    "\(indicatorNames[indicator] ?? indicator) · \(unit) · \(fact.fields["period"] ?? "") = \(value)"
                href = "/indicators/\(indicator)"
            case .publishedRanking:
                let (method, period) = (fact.fields["methodId"] ?? "", fact.fields["period"] ?? "")
                (text, href) = ("\(methodNames[method] ?? method) · \(period)", "/rankings/\(method)/\(period)")
            case .publishedAnswer:
                let stage = page.t("feed_answer_stage_\(fact.fields["stage"] ?? "answer")")
                (text, href) = (
                    "\(unit) · \(stage)", "/units/\(fact.fields["rated"] ?? fact.fields["unit"] ?? "")#unit-comments"
                )
            case .acceptedRating:
                (text, href) = ("\(unit) · \(fact.fields["period"] ?? "")", "/units/\(fact.fields["unit"] ?? "")")
            }
            return HomeModel.FeedItem(
                index: entry.index, kind: fact.kind.rawValue, kindLabel: page.t("feed_\(fact.kind.rawValue)"),
                at: entry.publishedAt, atText: HanoiTime.text(entry.publishedAt, page.language),
                illustrative: fact.fields["illustrative"] == "true", text: text, href: href)
        }
    }

    /// The provinces placed by their coordinates, coloured by the latest published province ranking.
    func provinceMap(_ page: PageRequest) async throws -> (svg: String, ranking: HomeModel.MapRanking?) {
        let provinces = try await store.units.list(UnitQuery(kind: .province, limit: 100)).items
        var scores: [String: Double] = [:]
        var ranking: HomeModel.MapRanking?
        if let latest = try await store.rankings.publications().first(where: { $0.unitKind == .province }),
            let published = try await store.rankings.published(
                methodId: latest.methodId, period: latest.period, version: latest.version)
        {
            for unit in published.result.units { if let score = unit.score { scores[unit.unit] = score } }
            ranking = .init(
                href: "/rankings/\(latest.methodId)/\(latest.period)?version=\(latest.version)",
                name: page.language == .vi ? published.method.nameVi : published.method.nameEn,
                period: latest.period)
        }
        let map = ProvinceMap(
            id: "province-map", title: page.t("home_mapTitle"),
            places: provinces.compactMap { unit in
                guard let latitude = unit.latitude, let longitude = unit.longitude else { return nil }
                return .init(
                    code: unit.code, name: unit.shortName, latitude: latitude, longitude: longitude,
                    score: scores[unit.code], href: "/units/\(unit.code)")
            }, scoreWord: page.t("chart_score"), noScoreWord: page.t("chart_noScore"), language: page.language)
        return (map.svg, ranking)
    }
}
