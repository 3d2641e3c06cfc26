/// A work plan imported over the tasks already stored: which rows create a task, which revise
/// one (and which of its fields), which leave it as it is, and which are refused. One pure
/// decision, taken by the command line, the API and the page alike.
///
/// A row revises the task with its code: its titles, description, deliverable, orientation,
/// units, dates, priority, tags and indicators. Its reports, extensions and history are never
/// touched, so a revision that would orphan them is refused: the lead unit stays while it has
/// reports, a coordinating unit with reports is not dropped, and the start does not move past the
/// first report. A task stays in its programme; a proposal waits for its adoption; a cancelled
/// task is not changed (a row marked cancelled cancels a task, as the task page would).
public enum WorkPlan {
    /// A checked row of the tasks file (`TaskCSV.tasks`): the task it describes, cancelled when
    /// the row says so.
    public struct Row: Sendable, Hashable {
        public var line: Int
        public var task: ProgrammeTask

        public init(line: Int, task: ProgrammeTask) {
            self.line = line
            self.task = task
        }
    }

    /// A stored task, with what a revision must keep.
    public struct Stored: Sendable, Hashable {
        public var task: ProgrammeTask
        public var progress: TaskProgress
        /// The units that have a report on the task, whatever its state.
        public var unitsWithReports: Set<String>
        /// The day of its earliest report (as written, in Hà Nội).
        public var firstReportDay: CivilDate?

        public init(
            task: ProgrammeTask, progress: TaskProgress, unitsWithReports: Set<String>, firstReportDay: CivilDate?
        ) {
            self.task = task
            self.progress = progress
            self.unitsWithReports = unitsWithReports
            self.firstReportDay = firstReportDay
        }
    }

    /// What a row does.
    public enum Action: String, Sendable, Codable, Hashable {
        case create, update, unchanged, cancel
    }

    /// A row's step: the task as it will be stored, and the fields a revision changes.
    public struct Step: Sendable, Hashable {
        public var line: Int
        public var action: Action
        public var task: ProgrammeTask
        /// The fields an update changes (`fields`), in their order; empty otherwise.
        public var changes: [String]
    }

    /// The fields a work plan sets, by the names the API gives them.
    public static let fields = [
        "title", "titleEn", "description", "deliverable", "orientation", "leadUnit", "coordinatingUnits", "start",
        "deadline", "priority", "technologies", "indicators",
    ]

    /// Each row's step, or every refused row (line, column, reason in both languages).
    public static func steps(_ rows: [Row], stored: (String) -> Stored?) throws(ValidationFailure) -> [Step] {
        var steps: [Step] = []
        var errors: [RowError] = []
        for row in rows {
            guard let existing = stored(row.task.code) else {
                steps.append(Step(line: row.line, action: .create, task: row.task, changes: []))
                continue
            }
            switch revision(of: existing, to: row.task) {
            case .success(let step):
                var step = step
                step.line = row.line
                steps.append(step)
            case .failure(let failure):
                errors += failure.errors.map {
                    RowError(line: row.line, column: $0.column, en: $0.reason, vi: $0.vietnamese ?? $0.reason)
                }
            }
        }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return steps
    }

    /// The revision of `stored` that `imported` asks for, or why it is refused.
    static func revision(of stored: Stored, to imported: ProgrammeTask) -> Result<Step, ValidationFailure> {
        let old = stored.task
        let code = old.code
        var errors: [RowError] = []
        func refuse(_ column: String, _ english: String, _ vietnamese: String) {
            errors.append(RowError(line: nil, column: column, en: english, vi: vietnamese))
        }
        var task = old
        task.title = imported.title
        task.titleEn = imported.titleEn
        task.description = imported.description
        task.deliverable = imported.deliverable
        task.orientation = imported.orientation
        task.leadUnit = imported.leadUnit
        task.coordinatingUnits = imported.coordinatingUnits
        task.start = imported.start
        task.deadline = imported.deadline
        task.priority = imported.priority
        task.technologies = imported.technologies
        task.indicators = imported.indicators
        let changes = changedFields(old, task)
        let cancelling = imported.cancelledAt != nil && old.cancelledAt == nil

        if imported.programme != old.programme {
            refuse(
                "programme", "task \(code) belongs to programme \(old.programme); a work plan does not move it",
                "nhiệm vụ \(code) thuộc chương trình \(old.programme); kế hoạch không chuyển được sang chương trình khác"
            )
        }
        if old.isPendingProposal && (!changes.isEmpty || cancelling) {
            refuse(
                "code", "task \(code) is a unit's proposal awaiting adoption; adopt or cancel it on its page first",
                "nhiệm vụ \(code) là đề xuất của đơn vị đang chờ thông qua; hãy thông qua hoặc hủy trên trang nhiệm vụ trước"
            )
        }
        if let cancelled = old.cancelledAt, !changes.isEmpty {
            refuse(
                "code", "task \(code) was cancelled on \(cancelled.prefix(10)); it is not changed",
                "nhiệm vụ \(code) đã bị hủy ngày \(cancelled.prefix(10)); không sửa được")
        }
        if task.leadUnit != old.leadUnit, stored.unitsWithReports.contains(old.leadUnit) {
            refuse(
                "lead_unit", "the lead unit \(old.leadUnit) has reports on task \(code); it stays the lead",
                "đơn vị chủ trì \(old.leadUnit) đã có báo cáo về nhiệm vụ \(code); không đổi được đơn vị chủ trì")
        }
        for unit in old.coordinatingUnits
        where stored.unitsWithReports.contains(unit) && !task.reportingUnits.contains(unit) {
            refuse(
                "coordinating_units", "unit \(unit) has reports on task \(code); keep it among its units",
                "đơn vị \(unit) đã có báo cáo về nhiệm vụ \(code); cần giữ đơn vị này")
        }
        if let first = stored.firstReportDay, task.start > first {
            refuse(
                "start", "task \(code) has a report of \(first); it cannot start after that",
                "nhiệm vụ \(code) đã có báo cáo ngày \(first); ngày bắt đầu không được sau ngày đó")
        }
        if cancelling, !old.isPendingProposal,
            TaskWorkflow.refusal(.cancel, in: TaskWorkflow.State(old, progress: stored.progress)) != nil
        {
            refuse(
                "status_hint", "task \(code) cannot be cancelled: it is accepted",
                "nhiệm vụ \(code) đã được nghiệm thu, không hủy được")
        }
        guard errors.isEmpty else { return .failure(ValidationFailure(errors)) }
        if cancelling {
            task.cancelledAt = imported.cancelledAt
            task.cancelReason = imported.cancelReason
            return .success(Step(line: 0, action: .cancel, task: task, changes: changes))
        }
        return .success(Step(line: 0, action: changes.isEmpty ? .unchanged : .update, task: task, changes: changes))
    }

    /// The fields (`fields`) in which `a` and `b` differ.
    public static func changedFields(_ a: ProgrammeTask, _ b: ProgrammeTask) -> [String] {
        let differs: [String: Bool] = [
            "title": a.title != b.title, "titleEn": a.titleEn != b.titleEn,
            "description": a.description != b.description,
            "deliverable": a.deliverable != b.deliverable, "orientation": a.orientation != b.orientation,
            // Coordinating units are a set: the store gives them back in code order.
            "leadUnit": a.leadUnit != b.leadUnit,
            "coordinatingUnits": Set(a.coordinatingUnits) != Set(b.coordinatingUnits),
            "start": a.start != b.start, "deadline": a.deadline != b.deadline, "priority": a.priority != b.priority,
            "technologies": a.technologies != b.technologies, "indicators": a.indicators != b.indicators,
        ]
        return fields.filter { differs[$0] == true }
    }
}
