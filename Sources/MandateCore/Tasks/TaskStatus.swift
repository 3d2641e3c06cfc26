/// A task's status, derived from facts by `TaskStatus.of`; never typed in.
public enum TaskStatus: String, Codable, Sendable, CaseIterable {
    /// A reporter's proposal its unit head has not signed off yet (never public).
    case awaitingSignOff = "awaiting_sign_off"
    /// A unit's proposal the committee has not adopted yet.
    case proposed
    case notStarted = "not_started"
    case inProgress = "in_progress"
    /// The lead unit's latest report awaits the committee's decision.
    case submitted
    /// The lead unit's latest report was returned for rework.
    case returned
    case acceptedOnTime = "accepted_on_time"
    case acceptedLate = "accepted_late"
    case overdue
    case cancelled

    /// Done with: accepted or cancelled.
    public var isClosed: Bool {
        switch self {
        case .acceptedOnTime, .acceptedLate, .cancelled: true
        default: false
        }
    }

    /// The status of `task` on `today`, from the summary of its facts.
    ///
    /// In order: a cancelled task is cancelled; a proposal not yet signed off by its unit head
    /// awaits sign-off, and one not yet adopted is proposed; a task whose
    /// lead unit's final report (100 %) was accepted is accepted on time when that report was
    /// submitted by the deadline that counts (`TaskProgress.effectiveDeadline`), late otherwise; a
    /// task whose lead report awaits a decision is submitted; from `TaskProgress.overdueFrom` on it
    /// is overdue; then returned, in progress (some report recorded) or not started.
    public static func of(_ task: ProgrammeTask, progress: TaskProgress, today: CivilDate) -> TaskStatus {
        switch TaskPhase.of(task, progress: progress) {
        case .cancelled: return .cancelled
        case .awaitingSignOff: return .awaitingSignOff
        case .proposed: return .proposed
        case .accepted:
            let submitted = progress.acceptedSubmittedOn ?? progress.effectiveDeadline
            return submitted <= progress.effectiveDeadline ? .acceptedOnTime : .acceptedLate
        case .open:
            if progress.leadState == .submitted { return .submitted }
            if today >= progress.overdueFrom { return .overdue }
            if progress.leadState == .returned { return .returned }
            return progress.hasReports ? .inProgress : .notStarted
        }
    }

    /// Whether `task` turns overdue on `day`: overdue on that day and not the day before, its facts
    /// being the same. Time alone makes a task overdue only on `TaskProgress.overdueFrom`; a write
    /// (a report returned) may make it overdue on any later day.
    public static func turnsOverdue(_ task: ProgrammeTask, progress: TaskProgress, on day: CivilDate) -> Bool {
        of(task, progress: progress, today: day) == .overdue
            && of(task, progress: progress, today: day.adding(days: -1)) != .overdue
    }
}

/// The facts of a task that its status depends on, summarised; the store keeps it on the task's
/// row, recomputed in the transaction that changes any of them.
public struct TaskProgress: Codable, Sendable, Hashable {
    /// The deadline on-time is judged against: the original one, moved only by extensions granted
    /// before the deadline then in force lapsed.
    public var effectiveDeadline: CivilDate
    /// The deadline the unit works to: also moved by extensions granted late.
    public var workingDeadline: CivilDate
    /// The state of the lead unit's latest report (nil: none).
    public var leadState: ReportState?
    /// The day the accepted final report was submitted (nil: not accepted).
    public var acceptedSubmittedOn: CivilDate?
    /// The latest percent the lead unit reported.
    public var percent: Int?
    public var hasReports: Bool

    public init(
        effectiveDeadline: CivilDate, workingDeadline: CivilDate, leadState: ReportState?,
        acceptedSubmittedOn: CivilDate?, percent: Int?, hasReports: Bool
    ) {
        self.effectiveDeadline = effectiveDeadline
        self.workingDeadline = workingDeadline
        self.leadState = leadState
        self.acceptedSubmittedOn = acceptedSubmittedOn
        self.percent = percent
        self.hasReports = hasReports
    }

    /// Summarises a task's reports and extensions.
    public static func of(
        _ task: ProgrammeTask, reports: [TaskReport], extensions: [DeadlineExtension]
    ) -> TaskProgress {
        var effective = task.deadline
        var working = task.deadline
        let granted = extensions.filter { $0.state == .granted }.sorted { ($0.decidedAt ?? "") < ($1.decidedAt ?? "") }
        for grant in granted {
            guard let decided = grant.decidedAt.flatMap({ CivilDate(iso: $0) }) else { continue }
            if decided <= effective, grant.requestedDeadline > effective { effective = grant.requestedDeadline }
            if grant.requestedDeadline > working { working = grant.requestedDeadline }
        }
        working = max(working, effective)
        let lead = reports.filter { $0.unit == task.leadUnit }.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        let accepted =
            lead.filter { $0.state == .accepted && $0.isFinal(for: task) }
            .compactMap { $0.submittedAt.flatMap { CivilDate(iso: $0) } }.min()
        return TaskProgress(
            effectiveDeadline: effective, workingDeadline: working, leadState: lead.last?.state,
            acceptedSubmittedOn: accepted, percent: lead.last?.percent, hasReports: !reports.isEmpty)
    }

    /// The first day an open task is overdue, unless its lead report awaits a decision: the day
    /// after the deadline that counts. An extension granted after that deadline lapsed moves the
    /// working deadline, never this day.
    public var overdueFrom: CivilDate { effectiveDeadline.adding(days: 1) }

    /// Days past the deadline that counts: of the final report's submission, or of `today` while
    /// not accepted; zero or less when on time.
    public func daysLate(today: CivilDate) -> Int {
        (acceptedSubmittedOn ?? today).dayNumber - effectiveDeadline.dayNumber
    }
}

/// A task with the summary of its facts, as lists show it.
public struct TaskRecord: Codable, Sendable, Hashable {
    public var task: ProgrammeTask
    public var progress: TaskProgress

    public init(task: ProgrammeTask, progress: TaskProgress) {
        self.task = task
        self.progress = progress
    }

    public func status(today: CivilDate) -> TaskStatus {
        TaskStatus.of(task, progress: progress, today: today)
    }
}

/// One step in a task's history: who did what, when.
public struct TaskEvent: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case assigned, proposed, adopted, cancelled
        case signedOff = "signed_off"
        case progressRecorded = "progress_recorded"
        case fileAttached = "file_attached"
        case reportEdited = "report_edited"
        case reportWithdrawn = "report_withdrawn"
        /// A work plan imported again changed the task (`WorkPlan`); the detail names the fields.
        case revised = "task_revised"
        case reportSubmitted = "report_submitted"
        case reportAccepted = "report_accepted"
        case reportReturned = "report_returned"
        case extensionRequested = "extension_requested"
        case extensionGranted = "extension_granted"
        case extensionRefused = "extension_refused"
    }

    public var at: String
    public var kind: Kind
    /// The unit acted for.
    public var unit: String?
    public var userId: String?
    /// The report or extension concerned.
    public var subject: String?
    public var detail: String?

    public init(at: String, kind: Kind, unit: String?, userId: String?, subject: String? = nil, detail: String? = nil) {
        self.at = at
        self.kind = kind
        self.unit = unit
        self.userId = userId
        self.subject = subject
        self.detail = detail
    }
}
