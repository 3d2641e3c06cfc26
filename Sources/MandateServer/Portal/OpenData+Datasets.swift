import MandateCore
import MandateStore

/// The datasets of public facts: units, indicators, approved values, tasks, delivery and rankings.
extension OpenData {
    static let units = OpenDataset(
        name: "units",
        columns: [
            column("code", "text"),
            column("kind", "text"),
            column("name", "text"),
            column("short_name", "text"),
            column("parent_code", "text"),
            column("lat", "number"),
            column("lon", "number"),
            column("area_km2", "number"),
        ],
        reads: [.units],
        rows: { source in
            try await source.store.units.list(UnitQuery(limit: 1_000_000)).items.map { unit in
                [
                    .text(unit.code), .text(unit.kind.rawValue), .text(unit.name), .text(unit.shortName),
                    OpenValue(unit.parentCode), OpenValue(unit.latitude), OpenValue(unit.longitude),
                    OpenValue(unit.areaKm2),
                ]
            }
        })

    static let indicators = OpenDataset(
        name: "indicators",
        columns: [
            column("code", "text"),
            column("name_vi", "text"),
            column("name_en", "text"),
            column("unit_of_measure", "text"),
            column("frequency", "text"),
            column("direction", "text"),
            column("rollup", "text"),
            column("targets", "text"),
            column("illustrative", "boolean"),
        ],
        reads: [.definitions],
        rows: { source in
            try await source.store.indicators.list().map { indicator in
                [
                    .text(indicator.code), .text(indicator.nameVi), .text(indicator.nameEn),
                    .text(indicator.unitOfMeasure), .text(indicator.frequency.rawValue),
                    .text(indicator.direction.rawValue), .text(indicator.rollup.method.rawValue),
                    .text(indicator.targets.map { "\($0.year)=\(ValueText.format($0.value))" }.joined(separator: "; ")),
                    .flag(indicator.illustrative),
                ]
            }
        })

    static let values = OpenDataset(
        name: "values",
        columns: [
            column("indicator", "text"),
            column("unit", "text"),
            column("period", "text"),
            column("value", "number"),
            column("illustrative", "boolean"),
        ],
        reads: [.values],
        rows: { source in
            let illustrative = Set(try await source.store.indicators.list().filter(\.illustrative).map(\.code))
            return try await source.store.values.list(ValueQuery(limit: DataValuesController.maximumExport)).map {
                value in
                [
                    .text(value.indicator), .text(value.unit), .text(value.period), .number(value.value),
                    .flag(illustrative.contains(value.indicator)),
                ]
            }
        })

    static let tasks = OpenDataset(
        name: "tasks",
        columns: [
            column("code", "text"),
            column("title", "text"),
            column("programme", "text"),
            column("orientation", "integer"),
            column("lead_unit", "text"),
            column("coordinating_units", "text"),
            column("start", "date"),
            column("deadline", "date"),
            column("working_deadline", "date"),
            column("status", "text"),
            column("percent", "integer"),
            column("illustrative", "boolean"),
        ],
        reads: [.tasks],
        rows: { source in
            let today = source.today
            return try await source.store.tasks.list(TaskQuery(today: today, limit: 1_000_000)).items.map { record in
                let task = record.task
                return [
                    .text(task.code), .text(task.title), .text(task.programme), OpenValue(task.orientation),
                    .text(task.leadUnit), .text(task.coordinatingUnits.joined(separator: ";")),
                    .text(task.start.description), .text(task.deadline.description),
                    .text(record.progress.workingDeadline.description), .text(record.status(today: today).rawValue),
                    OpenValue(record.progress.percent), .flag(task.illustrative),
                ]
            }
        })

    static let delivery = OpenDataset(
        name: "delivery",
        columns: [
            column("unit", "text"),
            column("as_of", "date"),
            column("tasks_led", "integer"),
            column("tasks_due", "integer"),
            column("accepted_on_time", "integer"),
            column("on_time_rate", "number"),
            column("overdue_count", "integer"),
            column("mean_days_late", "number"),
            column("reporting_timeliness", "number"),
        ],
        reads: [.tasks],
        rows: { source in
            try await source.views.deliveryMeasures(today: source.today).measures.map { measures in
                [
                    .text(measures.unit), .text(source.today.description), .integer(measures.tasksLed),
                    .integer(measures.tasksDue), .integer(measures.acceptedOnTime), OpenValue(measures.onTimeRate),
                    .integer(measures.overdueCount), OpenValue(measures.meanDaysLate),
                    OpenValue(measures.reportingTimeliness),
                ]
            }
        })

    static let rankings = OpenDataset(
        name: "rankings",
        columns: [
            column("method", "text"),
            column("period", "text"),
            column("version", "integer"),
            column("unit", "text"),
            column("score", "number"),
            column("rank", "integer"),
            column("rank_low", "integer"),
            column("rank_high", "integer"),
            column("score_change", "number"),
            column("rank_change", "integer"),
            column("improvement_rank", "integer"),
        ],
        reads: [.rankings],
        rows: { source in
            var rows: [[OpenValue]] = []
            for summary in try await source.store.rankings.publications() {
                guard
                    let published = try await source.store.rankings.published(
                        methodId: summary.methodId, period: summary.period, version: summary.version)
                else { continue }
                for unit in published.result.units {
                    rows.append([
                        .text(summary.methodId), .text(summary.period), .integer(summary.version), .text(unit.unit),
                        OpenValue(unit.score), OpenValue(unit.rank), OpenValue(unit.interval?.low),
                        OpenValue(unit.interval?.high), OpenValue(unit.scoreChange), OpenValue(unit.rankChange),
                        OpenValue(unit.improvementRank),
                    ])
                }
            }
            return rows
        })
}

extension OpenData {
    /// Citizens' ratings as counts: never a comment's text, nor anything else of a rating.
    static let satisfaction = OpenDataset(
        name: "satisfaction",
        columns: [
            column("unit", "text"),
            column("period", "text"),
            column("measure", "text"),
            column("score", "integer"),
            column("count", "integer"),
        ],
        reads: [.ratings],
        rows: { source in
            try await source.store.feedback.scoreCounts().map { line in
                [
                    .text(line.unit), .text(line.period), .text(line.measure), .number(Double(line.score)),
                    .number(Double(line.count)),
                ]
            }
        })
}
