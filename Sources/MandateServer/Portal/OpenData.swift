import Foundation
import HTTPTypes
import Hummingbird
import MandateCore
import MandateStore

/// One cell of an open dataset: typed in JSON, plain text in CSV.
enum OpenValue: Encodable, Sendable {
    case text(String)
    case number(Double)
    case integer(Int)
    case flag(Bool)
    case empty

    init(_ text: String?) { self = text.map { .text($0) } ?? .empty }
    init(_ number: Double?) { self = number.map { .number($0) } ?? .empty }
    init(_ integer: Int?) { self = integer.map { .integer($0) } ?? .empty }

    var csv: String {
        switch self {
        case .text(let text): DataValueExport.quoted(text)
        case .number(let number): ValueText.format(number)
        case .integer(let integer): String(integer)
        case .flag(let flag): flag ? "true" : "false"
        case .empty: ""
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .number(let number): try container.encode(number)
        case .integer(let integer): try container.encode(integer)
        case .flag(let flag): try container.encode(flag)
        case .empty: try container.encodeNil()
        }
    }
}

/// A dataset of the open data: its name (the stable file name), what each column means, and how
/// to read its rows. Every dataset holds public facts only: no person's name, e-mail or account.
struct OpenDataset: Sendable {
    struct Column: Sendable {
        let name: String
        let type: String
        let vi: String
        let en: String
    }

    let name: String
    let titleVi: String
    let titleEn: String
    let columns: [Column]
    /// What its rows are made from (see `Response.depending(on:)`).
    let reads: ChangeTags
    let rows: @Sendable (OpenData.Source) async throws -> [[OpenValue]]

    func csv(_ rows: [[OpenValue]]) -> String {
        var text = columns.map(\.name).joined(separator: ",") + "\n"
        for row in rows { text += row.map(\.csv).joined(separator: ",") + "\n" }
        return text
    }

    func json(_ rows: [[OpenValue]]) throws -> Data {
        struct Document: Encodable {
            let dataset: String
            let licence: String
            let dictionary: String
            let columns: [String]
            let rows: [[String: OpenValue]]
        }
        let names = columns.map(\.name)
        let document = Document(
            dataset: name, licence: OpenData.licenceURL, dictionary: "/open-data#\(name)", columns: names,
            rows: rows.map { Dictionary(uniqueKeysWithValues: zip(names, $0)) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(document)
    }
}

/// The open data: every public number as CSV and JSON at stable URLs (`/open-data/NAME.csv`,
/// `/open-data/NAME.json`), with the data dictionary and the licence on `/open-data`.
enum OpenData {
    /// What the datasets are read from, on the day of the download.
    struct Source: Sendable {
        let store: Store
        /// The task views the pages and the API keep (the delivery measures).
        let views: TaskViewCache
        let today: CivilDate
    }

    static let licenceURL = "https://creativecommons.org/licenses/by/4.0/"

    static func column(_ name: String, _ type: String, _ vi: String, _ en: String) -> OpenDataset.Column {
        .init(name: name, type: type, vi: vi, en: en)
    }

    static let datasets: [OpenDataset] = [units, indicators, values, tasks, delivery, rankings, rankingReproduction]

    static let units = OpenDataset(
        name: "units", titleVi: "Đơn vị hành chính và cơ quan", titleEn: "Administrative units and agencies",
        columns: [
            column("code", "text", "Mã đơn vị", "Unit code"),
            column(
                "kind", "text", "Loại: committee, ministry, province, commune",
                "Kind: committee, ministry, province, commune"),
            column("name", "text", "Tên đầy đủ", "Full name"),
            column("short_name", "text", "Tên ngắn", "Short name"),
            column("parent_code", "text", "Mã đơn vị cấp trên", "Code of the unit above"),
            column("lat", "number", "Vĩ độ tâm (WGS84)", "Centroid latitude (WGS84)"),
            column("lon", "number", "Kinh độ tâm (WGS84)", "Centroid longitude (WGS84)"),
            column("area_km2", "number", "Diện tích (km²)", "Area (km²)"),
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
        name: "indicators", titleVi: "Chỉ tiêu và mục tiêu", titleEn: "Indicators and targets",
        columns: [
            column("code", "text", "Mã chỉ tiêu", "Indicator code"),
            column("name_vi", "text", "Tên tiếng Việt", "Name in Vietnamese"),
            column("name_en", "text", "Tên tiếng Anh", "Name in English"),
            column("unit_of_measure", "text", "Đơn vị tính", "Unit of measure"),
            column("frequency", "text", "Kỳ báo cáo", "Reporting frequency"),
            column("direction", "text", "Chiều tốt: higher, lower", "Better when: higher, lower"),
            column("rollup", "text", "Cách tổng hợp", "Roll-up method"),
            column("targets", "text", "Mục tiêu theo năm (năm=giá trị; …)", "Targets by year (year=value; …)"),
            column("illustrative", "boolean", "Số liệu minh họa", "Illustrative data"),
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
        name: "values", titleVi: "Số liệu chỉ tiêu đã phê duyệt", titleEn: "Approved indicator values",
        columns: [
            column("indicator", "text", "Mã chỉ tiêu", "Indicator code"),
            column("unit", "text", "Mã đơn vị báo cáo", "Reporting unit's code"),
            column("period", "text", "Kỳ (2026, 2026S1, 2026Q1, 202603)", "Period (2026, 2026S1, 2026Q1, 202603)"),
            column("value", "number", "Giá trị", "Value"),
            column("illustrative", "boolean", "Số liệu minh họa", "Illustrative data"),
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
        name: "tasks", titleVi: "Nhiệm vụ và tình trạng", titleEn: "Tasks and their status",
        columns: [
            column("code", "text", "Mã nhiệm vụ", "Task code"),
            column("title", "text", "Tên nhiệm vụ", "Title"),
            column("programme", "text", "Chương trình", "Programme"),
            column("orientation", "integer", "Định hướng số", "Orientation number"),
            column("lead_unit", "text", "Đơn vị chủ trì", "Lead unit"),
            column(
                "coordinating_units", "text", "Đơn vị phối hợp (cách nhau bởi dấu ;)", "Coordinating units (; between)"),
            column("start", "date", "Ngày bắt đầu", "Start"),
            column("deadline", "date", "Hạn ban đầu", "Original deadline"),
            column("working_deadline", "date", "Hạn đang có hiệu lực", "Deadline in force"),
            column("status", "text", "Tình trạng ngày xuất dữ liệu", "Status on the day of the export"),
            column("percent", "integer", "Tiến độ báo cáo gần nhất (%)", "Latest reported progress (%)"),
            column("illustrative", "boolean", "Số liệu minh họa", "Illustrative data"),
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
        name: "delivery", titleVi: "Kết quả thực hiện nhiệm vụ theo đơn vị", titleEn: "Task delivery by unit",
        columns: [
            column("unit", "text", "Mã đơn vị chủ trì", "Lead unit's code"),
            column("as_of", "date", "Tính đến ngày", "As of"),
            column("tasks_led", "integer", "Số nhiệm vụ chủ trì", "Tasks led"),
            column("tasks_due", "integer", "Số nhiệm vụ đã đến hạn", "Tasks due"),
            column("accepted_on_time", "integer", "Số nhiệm vụ được chấp nhận đúng hạn", "Tasks accepted on time"),
            column("on_time_rate", "number", "Tỷ lệ đúng hạn (0–1)", "On-time rate (0–1)"),
            column("overdue_count", "integer", "Số nhiệm vụ quá hạn", "Overdue tasks"),
            column("mean_days_late", "number", "Số ngày trễ bình quân", "Mean days late"),
            column("reporting_timeliness", "number", "Tỷ lệ báo cáo đúng kỳ (0–1)", "Reporting timeliness (0–1)"),
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
        name: "rankings", titleVi: "Bảng xếp hạng đã công bố", titleEn: "Published rankings",
        columns: [
            column("method", "text", "Mã phương pháp", "Method id"),
            column("period", "text", "Kỳ", "Period"),
            column("version", "integer", "Lần công bố", "Publication version"),
            column("unit", "text", "Mã đơn vị", "Unit code"),
            column("score", "number", "Điểm 0–100", "Score 0–100"),
            column("rank", "integer", "Hạng (bằng điểm thì cùng hạng)", "Rank (equal scores share a rank)"),
            column(
                "rank_low", "integer", "Hạng tốt nhất trong khoảng bất định", "Best rank of the uncertainty interval"),
            column(
                "rank_high", "integer", "Hạng kém nhất trong khoảng bất định", "Worst rank of the uncertainty interval"),
            column("score_change", "number", "Thay đổi điểm so với kỳ trước", "Score change since the previous period"),
            column("rank_change", "integer", "Thay đổi hạng (dương: tăng hạng)", "Rank change (positive: moved up)"),
            column("improvement_rank", "integer", "Hạng tiến bộ", "Most-improved rank"),
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

/// `/open-data`: the datasets, their dictionary and licence; `/open-data/NAME.csv|json`: the files.
struct OpenDataPages {
    let store: Store
    let service: TaskService
    let pages: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get("/open-data", use: index)
        router.get("/open-data/{file}", use: file)
    }

    @Sendable func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let vi = context.language == .vi
        let datasets = OpenData.datasets.map { dataset -> [String: Any] in
            [
                "name": dataset.name, "title": vi ? dataset.titleVi : dataset.titleEn,
                "csv": "/open-data/\(dataset.name).csv", "json": "/open-data/\(dataset.name).json",
                "columns": dataset.columns.map { ["name": $0.name, "type": $0.type, "meaning": vi ? $0.vi : $0.en] },
            ]
        }
        return try pages.render(
            "open-data",
            frame: .init(
                request: request, language: context.language, identity: context.identity,
                title: pages.text("openData_title", context.language)),
            data: [
                "datasets": datasets, "licence": OpenData.licenceURL,
                "reproductions": try await OpenData.reproductionItems(store, context.language),
            ]
        ).depending(on: [.rankings])
    }

    @Sendable func file(_ request: Request, context: AppRequestContext) async throws -> Response {
        let file = try context.parameters.require("file")
        let parts = file.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, let dataset = OpenData.datasets.first(where: { $0.name == parts[0] }),
            ["csv", "json"].contains(parts[1])
        else { throw AppError.notFound("no open dataset \"\(file)\"; see /open-data") }
        let rows = try await dataset.rows(
            OpenData.Source(store: store, views: service.views, today: service.clock.today()))
        var headers = HTTPFields()
        headers[.cacheControl] = "no-cache"
        headers[.edgeKeep] = "1"
        headers[.contentDisposition] = "inline; filename=\"mandate-\(file)\""
        headers[HTTPField.Name("Link")!] = "<\(OpenData.licenceURL)>; rel=\"license\""
        headers[.edgeReads] = dataset.reads.description
        if parts[1] == "csv" {
            headers[.contentType] = "text/csv; charset=utf-8; header=present"
            return Response(
                status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: dataset.csv(rows))))
        }
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(
            status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: try dataset.json(rows))))
    }
}
