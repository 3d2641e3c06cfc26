import Foundation

/// Parses and checks the files of `mandate tasks import`: tasks, and optionally their progress
/// reports, as another system or a spreadsheet holds them. Every row is checked by the rules a
/// task or a report entered by hand is checked by (`TaskDraft.task`, `ProgressInput.check` with
/// the task's workflow); every problem is reported with its line and column, and nothing is
/// returned unless every row is right, so the import is all or nothing.
///
/// Tasks (a work plan): `code,title,lead_unit,start,deadline`, and optionally `title_en`,
/// `coordinating_units` (codes separated by `;`), `programme`, `orientation`, `deliverable` (the
/// title when absent), `description`, `priority` (`high`, `normal` or `low`), `technologies`
/// (strategic-technology tags separated by `;`), `indicators` (indicator codes separated by
/// `;`) and `status_hint` (`not_started`, `in_progress`, `completed` or `cancelled`; a task's
/// status is derived from its reports, so only `cancelled` is acted on: the task is recorded as
/// cancelled at the import, with `cancel_reason`). A code already stored revises that task
/// (`WorkPlan`).
///
/// Reports: `task_code,unit,percent,submitted_at,narrative`, and optionally `state` (`accepted`,
/// the default, or `submitted`, awaiting review) and `accepted_at` (the submission time when
/// absent). Times are ISO 8601 with an offset. A report names a task of the same import; its
/// day, as written, is not before the task's start, and it is not in the future. Each task's
/// reports are taken in time order, so a report after the lead unit's accepted final report is
/// refused, as the workflow refuses it.
public enum TaskCSV {
    public static let taskColumns = ["code", "title", "lead_unit", "start", "deadline"]
    public static let reportColumns = ["task_code", "unit", "percent", "submitted_at", "narrative"]
    static let statusHints: Set<String> = ["not_started", "in_progress", "completed", "cancelled"]
    /// The reason recorded for a task imported as cancelled without one.
    public static let importedCancellation = "Đã hủy trước khi nhập (cancelled before import)"

    /// What the rows are checked against.
    public struct Context {
        /// The programme of rows without a `programme` column or field.
        public var programme: String?
        /// Whether an active unit has the code.
        public var isKnownUnit: (String) -> Bool
        /// Each programme's orientation numbers.
        public var orientations: [String: Set<Int>]
        /// Whether a task with the code is already stored.
        public var isStoredTask: (String) -> Bool
        /// Whether an indicator has the code.
        public var isKnownIndicator: (String) -> Bool
        /// The import's time (`Timestamp`): the tasks' creation, and the latest a report may be.
        public var now: Date
        /// Every task imported is demonstration content.
        public var illustrative: Bool
        /// A new report id.
        public var newId: () -> String

        public init(
            programme: String?, isKnownUnit: @escaping (String) -> Bool, orientations: [String: Set<Int>],
            isStoredTask: @escaping (String) -> Bool, isKnownIndicator: @escaping (String) -> Bool, now: Date,
            illustrative: Bool, newId: @escaping () -> String
        ) {
            self.isKnownIndicator = isKnownIndicator
            self.programme = programme
            self.isKnownUnit = isKnownUnit
            self.orientations = orientations
            self.isStoredTask = isStoredTask
            self.now = now
            self.illustrative = illustrative
            self.newId = newId
        }
    }

    /// The tasks of a checked tasks file, each with its line, in file order.
    public static func tasks(_ text: String, context: Context) throws(ValidationFailure) -> [WorkPlan.Row] {
        let (rows, errors) = try read(text, context: context)
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return rows
    }

    /// The good rows of a tasks file, each with its line, in file order, and the problems of the
    /// others; a file that cannot be read as a table at all is refused.
    public static func read(
        _ text: String, context: Context
    ) throws(ValidationFailure) -> (rows: [WorkPlan.Row], errors: [RowError]) {
        let table = try CSVTable(text, required: taskColumns)
        let now = Timestamp.string(context.now)
        var errors: [RowError] = []
        var tasks: [WorkPlan.Row] = []
        var seen: [String: Int] = [:]
        for row in table.rows(errors: &errors) {
            var rowErrors: [RowError] = []
            let code = row["code"] ?? ""
            if let first = seen[code] {
                rowErrors.append(
                    row.error(
                        "code", "code \(code) already appears on line \(first)",
                        vi: "mã \(code) đã có ở dòng \(first)"))
            }
            seen[code] = seen[code] ?? row.record.line
            var orientation: Int?
            if let text = row["orientation"] {
                orientation = Int(text)
                if orientation == nil {
                    rowErrors.append(
                        row.error(
                            "orientation", "\"\(text)\" is not a whole number", vi: "\"\(text)\" không phải số nguyên"))
                }
            }
            let hint = row["status_hint"]
            if let hint, !statusHints.contains(hint) {
                let expected = statusHints.sorted().joined(separator: ", ")
                rowErrors.append(
                    row.error(
                        "status_hint", "unknown status \"\(hint)\"; expected one of \(expected)",
                        vi: "không có trạng thái \"\(hint)\"; cần một trong \(expected)"))
            }
            var priority: TaskPriority?
            if let text = row["priority"] {
                priority = TaskPriority(rawValue: text)
                if priority == nil {
                    rowErrors.append(
                        row.error(
                            "priority", "unknown priority \"\(text)\"; expected high, normal or low",
                            vi: "không có mức ưu tiên \"\(text)\"; cần high, normal hoặc low"))
                }
            }
            let draft = TaskDraft(
                code: code, title: row.raw("title") ?? "", titleEn: row.raw("title_en"),
                description: row.raw("description"),
                deliverable: row.raw("deliverable").flatMap { $0.isEmpty ? nil : $0 } ?? row.raw("title") ?? "",
                programme: row["programme"] ?? context.programme ?? "", orientation: orientation,
                leadUnit: row["lead_unit"] ?? "",
                coordinatingUnits: list(row["coordinating_units"]), start: row["start"] ?? "",
                deadline: row["deadline"] ?? "", priority: priority, technologies: list(row["technologies"]),
                indicators: list(row["indicators"]), illustrative: context.illustrative)
            do {
                var task = try draft.task(
                    origin: .assigned, at: now, isKnownUnit: context.isKnownUnit, orientations: context.orientations,
                    isKnownIndicator: context.isKnownIndicator)
                if hint == "cancelled" {
                    task.cancelledAt = now
                    task.cancelReason = row["cancel_reason"] ?? importedCancellation
                }
                if rowErrors.isEmpty { tasks.append(WorkPlan.Row(line: row.record.line, task: task)) }
            } catch {
                rowErrors += error.errors.map {
                    row.error(Self.column(of: $0.column), $0.reason, vi: $0.vietnamese ?? $0.reason)
                }
            }
            errors += rowErrors
        }
        if table.records.isEmpty {
            errors.append(RowError(line: 2, column: nil, en: "the file has no tasks", vi: "tệp không có nhiệm vụ nào"))
        }
        return (tasks, errors)
    }

    /// The reports of a checked reports file, on `tasks` (those of the same import): each task's in
    /// time order.
    public static func reports(
        _ text: String, on tasks: [ProgrammeTask], context: Context
    ) throws(ValidationFailure) -> [TaskReport] {
        let table = try CSVTable(text, required: reportColumns)
        let byCode = Dictionary(tasks.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        var errors: [RowError] = []
        // Each row read on its own first; then each task's reports checked in time order.
        var read: [(line: Int, instant: Date, report: TaskReport)] = []
        for row in table.rows(errors: &errors) {
            var rowErrors: [RowError] = []
            let code = row["task_code"] ?? ""
            let task = byCode[code]
            if task == nil {
                rowErrors.append(
                    row.error(
                        "task_code",
                        context.isStoredTask(code)
                            ? "task \(code) was not imported with this file; record its progress on the task's page"
                            : "no task has code \"\(code)\" in the tasks file"))
            }
            let percentText = row["percent"] ?? ""
            let percent = Int(percentText)
            if percent == nil { rowErrors.append(row.error("percent", "\"\(percentText)\" is not a whole number")) }
            let submitted = instant(row, "submitted_at", errors: &rowErrors)
            let state: ReportState
            switch row["state"] ?? "accepted" {
            case "accepted": state = .accepted
            case "submitted": state = .submitted
            case let other:
                state = .accepted
                rowErrors.append(row.error("state", "unknown state \"\(other)\"; expected accepted or submitted"))
            }
            var accepted = state == .accepted ? submitted : nil
            if state == .accepted, row["accepted_at"] != nil {
                accepted = instant(row, "accepted_at", errors: &rowErrors)
                if let accepted, let submitted, accepted < submitted {
                    rowErrors.append(row.error("accepted_at", "a report is accepted after it is submitted"))
                }
            }
            for (column, time) in [
                ("submitted_at", submitted), ("accepted_at", row["accepted_at"] == nil ? nil : accepted),
            ] {
                if let time, time > context.now { rowErrors.append(row.error(column, "the time is in the future")) }
            }
            if let task, let day = row["submitted_at"].flatMap({ CivilDate(iso: String($0.prefix(10))) }),
                day < task.start
            {
                rowErrors.append(row.error("submitted_at", "the report is dated before the task's start \(task.start)"))
            }
            guard rowErrors.isEmpty, let task, let percent, let submitted else {
                // The row's other fields are still checked, against the task as it starts.
                if let task, let percent {
                    let input = ProgressInput(
                        unit: row["unit"] ?? "", percent: percent, narrative: row.raw("narrative") ?? "")
                    if case .failure(let failure) = checked(input, on: task, after: [], line: row.record.line) {
                        rowErrors += failure.errors
                    }
                }
                errors += rowErrors
                continue
            }
            let report = TaskReport(
                id: context.newId(), task: task.code, unit: row["unit"] ?? "", percent: percent,
                narrative: row.raw("narrative") ?? "", links: [], state: state, createdBy: nil,
                createdAt: Timestamp.string(submitted), submittedAt: Timestamp.string(submitted),
                decidedAt: accepted.map(Timestamp.string), illustrative: context.illustrative)
            read.append((row.record.line, submitted, report))
        }
        read.sort { ($0.report.task, $0.instant, $0.line) < ($1.report.task, $1.instant, $1.line) }
        var reports: [TaskReport] = []
        var earlier: [TaskReport] = []
        for (index, (line, _, report)) in read.enumerated() {
            if index == 0 || read[index - 1].report.task != report.task { earlier = [] }
            let input = ProgressInput(unit: report.unit, percent: report.percent, narrative: report.narrative)
            switch checked(input, on: byCode[report.task]!, after: earlier, line: line) {
            case .success(let narrative):
                var kept = report
                kept.narrative = narrative
                earlier.append(kept)
                reports.append(kept)
            case .failure(let failure):
                errors += failure.errors
            }
        }
        guard errors.isEmpty else { throw ValidationFailure(errors.sorted { ($0.line ?? 0) < ($1.line ?? 0) }) }
        return reports
    }

    /// `input` checked against `task` as it stood before the import (one imported as cancelled
    /// took its reports), after its `earlier` reports: the narrative as kept, or the problems on
    /// `line`.
    static func checked(
        _ input: ProgressInput, on task: ProgrammeTask, after earlier: [TaskReport], line: Int
    ) -> Result<String, ValidationFailure> {
        var task = task
        task.cancelledAt = nil
        do {
            let progress = TaskProgress.of(task, reports: earlier, extensions: [])
            return .success(try input.check(for: task, progress: progress).narrative)
        } catch {
            return .failure(
                ValidationFailure(
                    error.errors.map { RowError(line: line, column: column(of: $0.column), reason: $0.reason) }))
        }
    }

    /// The time in `column`, or nil (with the problem noted) when it is not ISO 8601 with an offset.
    static func instant(_ row: CSVTable.Row, _ column: String, errors: inout [RowError]) -> Date? {
        let text = row[column] ?? ""
        guard let date = Timestamp.instant(text) else {
            errors.append(row.error(column, "expected a time like 2026-04-03T10:00:00+07:00, got \"\(text)\""))
            return nil
        }
        return date
    }

    /// The codes of a `;`-separated field, trimmed, empty ones left out.
    static func list(_ field: String?) -> [String] {
        (field ?? "").split(separator: ";").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    /// The file's column for a field of a task or a report as the rules name it.
    static func column(of field: String?) -> String? {
        switch field {
        case "leadUnit": "lead_unit"
        case "coordinatingUnits": "coordinating_units"
        case "titleEn": "title_en"
        case "task": "task_code"
        default: field
        }
    }
}
