import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// The public portal: the national overview, the indicator pages and the methodology, readable by
/// anyone without signing in, in Vietnamese and English, and live where they show facts.
struct PortalPages {
    let store: Store
    let service: TaskService
    let pages: PageRenderer

    var figures: IndicatorFigures { IndicatorFigures(values: store.values) }

    func register(on router: Router<AppRequestContext>) {
        router.get("/", use: overview)
        router.get("/indicators", use: indicators)
        router.get("/indicators/{code}", use: indicator)
        router.get("/methodology", use: methodology)
    }

    func t(_ key: String, _ context: AppRequestContext) -> String { pages.text(key, context.language) }

    /// Pages that show published facts follow live events.
    func frame(_ request: Request, _ context: AppRequestContext, title: String) -> PageRenderer.Frame {
        var frame = PageRenderer.Frame(
            request: request, language: context.language, identity: context.identity, title: title)
        frame.scripts = ["/static/js/live.js"]
        return frame
    }

    /// The unit at the top of the tree: national figures are its figures.
    func nationalUnit() async throws -> String { try await store.units.root() ?? "" }

    func name(_ indicator: Indicator, _ context: AppRequestContext) -> String {
        context.language == .vi ? indicator.nameVi : indicator.nameEn
    }

    /// How the unit reported this year: values on time, late, missing, not yet due.
    func timeliness(of unit: OrgUnit, today: CivilDate, _ context: AppRequestContext) async throws -> [String: Any]? {
        let applicable = try await store.indicators.list().filter { $0.appliesTo.contains(unit.kind) }
        guard unit.active, !applicable.isEmpty else { return nil }
        let periods = Set(applicable.flatMap { Period.all(of: $0.frequency, in: today.year).map(\.id) })
        let reported = try await store.values.firstReported(unit: unit.code, periods: Array(periods))
        let summary = TimelinessReport.build(
            unit: unit.code, kind: unit.kind, year: today.year, indicators: applicable, firstReported: reported,
            today: today
        ).summary
        return [
            "year": today.year, "onTime": summary.onTime, "late": summary.late, "missing": summary.missing,
            "notDue": summary.notDue, "href": "/api/v1/units/\(unit.code)/timeliness?year=\(today.year)",
        ]
    }

    /// An indicator's figures for one unit, oldest first.
    func series(_ indicator: Indicator, of unit: String) async throws -> [IndicatorFigures.Figure] {
        try await figures.figures(indicator, units: [unit])[unit] ?? []
    }

    /// A unit's figures with, for the periods it has none, those of the units it took over re-based
    /// onto it (`Lineage`), so that its series runs on across a merger; and which periods those are.
    func series(
        _ indicator: Indicator, of unit: String, predecessors: [String]
    ) async throws -> (figures: [IndicatorFigures.Figure], rebased: [String]) {
        guard !predecessors.isEmpty else { return (try await series(indicator, of: unit), []) }
        func byPeriod(_ figures: [String: [IndicatorFigures.Figure]]) -> [String: [String: Double]] {
            figures.mapValues { Dictionary($0.map { ($0.period.id, $0.value) }, uniquingKeysWith: { $1 }) }
        }
        let values = byPeriod(try await figures.figures(indicator, units: [unit] + predecessors))
        var weights: [String: [String: Double]] = [:]
        if let code = indicator.rollup.denominator, let denominator = try await store.indicators.get(code: code) {
            weights = byPeriod(try await figures.figures(denominator, units: predecessors))
        }
        let points = Lineage.series(
            unit: unit, predecessors: predecessors, method: indicator.rollup.method, values: values, weights: weights)
        let figures = points.compactMap { point in
            (try? Period(point.period)).map { IndicatorFigures.Figure(unit: unit, period: $0, value: point.value) }
        }
        return (figures, points.filter { !$0.rebasedFrom.isEmpty }.map(\.period))
    }

    /// An indicator in a list: its name, its latest figure and the sparkline of its figures.
    func trendRow(
        _ indicator: Indicator, _ series: [IndicatorFigures.Figure], _ context: AppRequestContext
    ) -> [String: Any] {
        let language = context.language
        var row: [String: Any] = [
            "code": indicator.code, "name": name(indicator, context), "unit": indicator.unitOfMeasure,
            "frequency": t("frequency_\(indicator.frequency.rawValue)", context),
            "illustrative": indicator.illustrative,
            "sparkline": Sparkline(
                values: series.map(\.value),
                label: series.map { "\($0.period.id): \($0.value.formatted(language))" }.joined(separator: "; ")
            ).svg,
        ]
        if let latest = series.last {
            row["value"] = latest.value.formatted(language)
            row["period"] = latest.period.id
        }
        return row
    }

    // MARK: Overview

    @Sendable func overview(_ request: Request, context: AppRequestContext) async throws -> Response {
        let today = service.clock.today()
        var data: [String: Any] = ["live": "*", "today": today.description]
        data["headlines"] = try await headlines(context)
        data["delivery"] = try await deliverySummary(today: today, context)
        data["feed"] = try await feed(limit: 12, context)
        let (map, ranking) = try await provinceMap(context)
        data["map"] = map
        if let ranking { data["mapRanking"] = ranking }
        data["counts"] = [
            "provinces": try await store.units.list(UnitQuery(kind: .province, limit: 1)).total,
            "communes": try await store.units.list(UnitQuery(kind: .commune, limit: 1)).total,
            "ministries": try await store.units.list(UnitQuery(kind: .ministry, limit: 1)).total,
        ]
        return try pages.render("home", frame: frame(request, context, title: t("home_title", context)), data: data)
            .depending(on: [.unit(try await nationalUnit()), .tasks, .log, .rankings])
    }

    /// Each indicator with a target: the latest national figure against the target of its year.
    func headlines(_ context: AppRequestContext) async throws -> [[String: Any]] {
        var rows: [[String: Any]] = []
        let national = try await nationalUnit()
        for indicator in try await store.indicators.list() {
            let series = try await series(indicator, of: national)
            guard let latest = series.last, !indicator.targets.isEmpty || series.count > 1 else { continue }
            var row = trendRow(indicator, series, context)
            let target =
                indicator.target(for: latest.period.year)
                ?? indicator.targets.last { $0.year > latest.period.year }?.value
            if let target {
                row["target"] = target.formatted(context.language)
                let met = indicator.direction == .higher ? latest.value >= target : latest.value <= target
                row["onTrack"] = met
                row["targetState"] = t(met ? "home_targetMet" : "home_targetNotMet", context)
            }
            rows.append(TaskPages.compact(row))
        }
        return rows
    }

    /// How delivery stands today, nationally: the escalation board's totals (kept per day and task
    /// data version, so the overview stays fast at national scale) and the number of tasks.
    func deliverySummary(today: CivilDate, _ context: AppRequestContext) async throws -> [[String: Any]] {
        let totals = try await service.views.escalation(today: today).totals
        let all = try await store.tasks.list(TaskQuery(today: today, limit: 1)).total
        return [
            ["label": t("home_tasks", context), "count": all, "href": "/tasks", "status": "all"],
            [
                "label": t("taskStatus_overdue", context), "count": totals.overdue, "href": "/tasks?status=overdue",
                "status": "overdue",
            ],
            [
                "label": t("home_dueWithin7", context), "count": totals.dueWithin7Days, "href": "/escalation",
                "status": "due",
            ],
            [
                "label": t("home_dueWithin30", context), "count": totals.dueWithin30Days, "href": "/escalation",
                "status": "due",
            ],
            [
                "label": t("home_returned", context), "count": totals.returnedAwaitingResubmission,
                "href": "/escalation", "status": "returned",
            ],
            [
                "label": t("home_unanswered", context), "count": totals.unansweredRecommendations,
                "href": "/recommendations", "status": "pending",
            ],
        ]
    }

    /// The facts most recently published, newest first.
    func feed(limit: Int, _ context: AppRequestContext) async throws -> [[String: Any]] {
        let size = try await store.log.size()
        let entries = try await store.log.entries(in: (size > UInt64(limit) ? size - UInt64(limit) : 0)..<size)
        var codes: Set<String> = []
        let facts = entries.reversed().compactMap { entry -> (LogEntry, PublishedFact)? in
            guard let fact = PublishedFact(canonicalBytes: entry.data) else { return nil }
            if let unit = fact.fields["unit"] { codes.insert(unit) }
            return (entry, fact)
        }
        let names = try await store.units.names(of: codes)
        return facts.map { entry, fact in
            var row: [String: Any] = [
                "index": entry.index, "kind": fact.kind.rawValue, "kindLabel": t("feed_\(fact.kind.rawValue)", context),
                "at": entry.publishedAt, "illustrative": fact.fields["illustrative"] == "true",
            ]
            let unit = fact.fields["unit"].map { names[$0] ?? $0 } ?? ""
            switch fact.kind {
            case .acceptedReport:
                let task = fact.fields["task"] ?? ""
                row["text"] = "\(task) · \(unit)"
                row["href"] = "/tasks/\(task)"
            case .approvedValue:
                let indicator = fact.fields["indicator"] ?? ""
                row["text"] = "\(indicator) · \(unit) · \(fact.fields["period"] ?? "") = \(fact.fields["value"] ?? "")"
                row["href"] = "/indicators/\(indicator)"
            case .publishedRanking:
                let method = fact.fields["methodId"] ?? ""
                let period = fact.fields["period"] ?? ""
                row["text"] = "\(method) · \(period)"
                row["href"] = "/rankings/\(method)/\(period)"
            }
            return row
        }
    }

    /// The provinces placed by their coordinates, coloured by the latest published province ranking.
    func provinceMap(_ context: AppRequestContext) async throws -> (svg: String, ranking: [String: Any]?) {
        let provinces = try await store.units.list(UnitQuery(kind: .province, limit: 100)).items
        var scores: [String: Double] = [:]
        var ranking: [String: Any]?
        if let latest = try await store.rankings.publications().first(where: { $0.unitKind == .province }),
            let published = try await store.rankings.published(
                methodId: latest.methodId, period: latest.period, version: latest.version)
        {
            for unit in published.result.units { if let score = unit.score { scores[unit.unit] = score } }
            ranking = [
                "href": "/rankings/\(latest.methodId)/\(latest.period)?version=\(latest.version)",
                "name": context.language == .vi ? published.method.nameVi : published.method.nameEn,
                "period": latest.period,
            ]
        }
        let map = ProvinceMap(
            id: "province-map", title: t("home_mapTitle", context),
            places: provinces.compactMap { unit in
                guard let latitude = unit.latitude, let longitude = unit.longitude else { return nil }
                return .init(
                    code: unit.code, name: unit.shortName, latitude: latitude, longitude: longitude,
                    score: scores[unit.code], href: "/units/\(unit.code)")
            }, scoreWord: t("chart_score", context), noScoreWord: t("chart_noScore", context))
        return (map.svg, ranking)
    }

    // MARK: Indicators

    @Sendable func indicators(_ request: Request, context: AppRequestContext) async throws -> Response {
        var rows: [[String: Any]] = []
        let national = try await nationalUnit()
        for indicator in try await store.indicators.list() {
            let row = trendRow(indicator, try await series(indicator, of: national), context)
            rows.append(TaskPages.compact(row))
        }
        return try pages.render(
            "indicators", frame: frame(request, context, title: t("indicators_title", context)),
            data: ["rows": rows, "live": "*"]
        ).depending(on: [.unit(national)])
    }

    @Sendable func indicator(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        guard let indicator = try await store.indicators.get(code: code) else {
            throw AppError.notFound("no indicator has code \"\(code)\"")
        }
        let national = try await series(indicator, of: try await nationalUnit())
        let provinces = try await store.units.list(UnitQuery(kind: .province, limit: 100)).items
        let byProvince = try await figures.figures(indicator, units: provinces.map(\.code))
        // The spread is drawn for the latest period any province has a figure for.
        let latest = byProvince.values.compactMap { $0.last?.period }.max()
        let names = Dictionary(uniqueKeysWithValues: provinces.map { ($0.code, $0.shortName) })
        let spread: [(code: String, name: String, value: Double)] =
            latest.map { period in
                byProvince.compactMap { unit, figures in
                    figures.first { $0.period == period }.map { (unit, names[unit] ?? unit, $0.value) }
                }.sorted { $0.value > $1.value }
            } ?? []
        let valueWord = t("chart_value", context)
        let targetWord = t("chart_target", context)
        let trajectory = IndicatorFigures.trajectory(
            indicator, figures: national, id: "trajectory-\(indicator.code)",
            title: "\(name(indicator, context)): \(t("indicator_trajectory", context))",
            valueWord: valueWord, targetWord: targetWord)
        var data: [String: Any] = [
            "live": "indicator:\(indicator.code)",
            "indicator": TaskPages.compact([
                "code": indicator.code, "name": name(indicator, context), "unit": indicator.unitOfMeasure,
                "frequency": t("frequency_\(indicator.frequency.rawValue)", context),
                "direction": t("direction_\(indicator.direction.rawValue)", context),
                "rollup": indicator.rollup.method.rawValue, "illustrative": indicator.illustrative,
            ]),
            "targets": indicator.targets.map { ["year": $0.year, "value": $0.value.formatted(context.language)] },
            "hasTargets": !indicator.targets.isEmpty,
            "national": national.reversed().map { figure -> [String: Any] in
                var row: [String: Any] = [
                    "period": figure.period.id, "value": figure.value.formatted(context.language),
                ]
                if let target = indicator.target(for: figure.period.year) {
                    row["target"] = target.formatted(context.language)
                }
                return row
            },
            "hasNational": !national.isEmpty,
            "csvHref": "/api/v1/dataValues?indicator=\(indicator.code)&format=csv",
            "jsonHref": "/api/v1/dataValues?indicator=\(indicator.code)",
        ]
        if !national.isEmpty || !indicator.targets.isEmpty { data["trajectory"] = trajectory.svg }
        if let latest, !spread.isEmpty {
            let chart = SpreadChart(
                id: "spread-\(indicator.code)",
                title: "\(name(indicator, context)): \(t("indicator_spread", context)) \(latest.id)",
                unit: indicator.unitOfMeasure,
                dots: spread.map { .init(name: $0.name, href: "/units/\($0.code)", value: $0.value) },
                target: indicator.target(for: latest.year), highlight: nil,
                medianWord: t("chart_median", context), targetWord: targetWord)
            data["spread"] = chart.svg
            data["spreadPeriod"] = latest.id
            data["provinces"] = spread.map {
                ["code": $0.code, "name": $0.name, "value": $0.value.formatted(context.language)]
            }
        }
        return try pages.render(
            "indicator", frame: frame(request, context, title: name(indicator, context)), data: data
        ).depending(on: [.indicator(indicator.code)])
    }

    // MARK: Unit profile

    /// What a unit's profile shows beside its place in the tree: its tasks, its indicators with
    /// their trend, and its rank in every published ranking of its kind.
    func profile(_ unit: OrgUnit, _ context: AppRequestContext) async throws -> [String: Any] {
        let today = service.clock.today()
        let tasks = try await store.tasks.list(TaskQuery(unit: unit.code, today: today, limit: 10))
        var data: [String: Any] = ["live": "unit:\(unit.code)"]
        if tasks.total > 0 {
            data["tasks"] = tasks.items.map { record -> [String: Any] in
                let status = record.status(today: today)
                return [
                    "code": record.task.code, "title": record.task.title, "deadline": record.task.deadline.description,
                    "status": status.rawValue, "statusLabel": t("taskStatus_\(status.rawValue)", context),
                    "illustrative": record.task.illustrative,
                ]
            }
            data["tasksText"] = t("tasks_count", context).replacingOccurrences(of: "{total}", with: "\(tasks.total)")
            data["tasksHref"] = "/tasks?unit=\(unit.code)"
            data["hasTasks"] = true
        }
        var indicators: [[String: Any]] = []
        let predecessors = try await store.units.predecessors(of: unit.code).map(\.predecessorCode)
        for indicator in try await store.indicators.list() {
            let (series, rebased) = try await series(indicator, of: unit.code, predecessors: predecessors)
            guard let latest = series.last else { continue }
            var row = trendRow(indicator, series, context)
            if !rebased.isEmpty {
                row["rebased"] = t("unit_rebased", context).replacingOccurrences(
                    of: "{periods}", with: rebased.joined(separator: ", "))
            }
            if let target = indicator.target(for: latest.period.year) {
                row["target"] = target.formatted(context.language)
            }
            indicators.append(TaskPages.compact(row))
        }
        if !indicators.isEmpty {
            data["indicators"] = indicators
            data["hasIndicators"] = true
        }
        if let timeliness = try await timeliness(of: unit, today: today, context) { data["timeliness"] = timeliness }
        var ranks: [[String: Any]] = []
        for summary in try await store.rankings.publications() where summary.unitKind == unit.kind {
            guard
                let published = try await store.rankings.published(
                    methodId: summary.methodId, period: summary.period, version: summary.version),
                let place = published.result.unit(unit.code)
            else { continue }
            var row: [String: Any] = [
                "method": context.language == .vi ? published.method.nameVi : published.method.nameEn,
                "period": summary.period,
                "href": "/rankings/\(summary.methodId)/\(summary.period)?version=\(summary.version)",
                "rank": place.rank.map(String.init) ?? "–",
                "of": published.result.units.filter { $0.rank != nil }.count,
                "score": place.score.map { $0.formatted(context.language) } ?? "–",
            ]
            if let interval = place.interval { row["interval"] = "\(interval.low)–\(interval.high)" }
            ranks.append(row)
        }
        if !ranks.isEmpty {
            data["ranks"] = ranks
            data["hasRanks"] = true
        }
        return data
    }

    // MARK: Methodology

    @Sendable func methodology(_ request: Request, context: AppRequestContext) async throws -> Response {
        let methods = try await store.rankings.methods().map { method -> [String: Any] in
            [
                "id": method.id, "version": method.version,
                "name": context.language == .vi ? method.nameVi : method.nameEn,
                "kind": t("kind_\(method.unitKind.rawValue)", context),
                "href": "/api/v1/ranking-methods/\(method.id)",
            ]
        }
        var frame = PageRenderer.Frame(
            request: request, language: context.language, identity: context.identity,
            title: t("methodology_title", context))
        frame.scripts = []
        return try pages.render("methodology", frame: frame, data: ["methods": methods]).depending(on: [.rankings])
    }
}
