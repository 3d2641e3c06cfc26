/// What needs the committee's attention on a day: overdue tasks (by unit and by days overdue),
/// tasks due soon, returned reports awaiting resubmission, unanswered recommendations.
public struct EscalationBoard: Codable, Sendable, Hashable {
    public var today: CivilDate
    /// Bounds of the days-overdue bands: 1–7, 8–30, 31–90, more than 90.
    public static let bands = [7, 30, 90]
    public var overdueByUnit: [UnitOverdue]
    public var overdueByDays: [Int]
    public var overdue: [TaskLine]
    public var dueWithin7Days: [TaskLine]
    public var dueWithin30Days: [TaskLine]
    public var returnedAwaitingResubmission: [ReturnedReport]
    public var unansweredRecommendations: [UnansweredRecommendation]
    /// How many of each there are in all (the lists hold at most `limit` lines).
    public var totals: Totals

    public struct Totals: Codable, Sendable, Hashable {
        public var overdue: Int
        public var dueWithin7Days: Int
        public var dueWithin30Days: Int
        public var returnedAwaitingResubmission: Int
        public var unansweredRecommendations: Int
    }

    public struct UnitOverdue: Codable, Sendable, Hashable {
        public var unit: String
        public var count: Int
        /// Counts per band of `EscalationBoard.bands`.
        public var byDays: [Int]
        public var mostDaysOverdue: Int
    }

    public struct TaskLine: Codable, Sendable, Hashable {
        public var code: String
        public var title: String
        public var leadUnit: String
        public var deadline: CivilDate
        public var effectiveDeadline: CivilDate
        /// Days overdue (positive) or days left (zero or more) for tasks due soon.
        public var days: Int
        public var status: TaskStatus
        public var illustrative: Bool
    }

    public struct ReturnedReport: Codable, Sendable, Hashable {
        public var task: String
        public var unit: String
        public var report: String
        public var returnedAt: String
        public var daysWaiting: Int
        public var comment: String?
    }

    public struct UnansweredRecommendation: Codable, Sendable, Hashable {
        public var id: String
        public var fromUnit: String
        public var toUnit: String
        public var title: String
        public var due: CivilDate
        public var ageDays: Int
        public var overdue: Bool
    }

    /// The same board with at most `limit` lines in each list: `build(…, limit: n)` is
    /// `build(…, limit: m).limited(to: n)` for any m ≥ n, so a board built once serves every limit.
    public func limited(to limit: Int) -> EscalationBoard {
        var board = self
        board.overdue = Array(overdue.prefix(limit))
        board.dueWithin7Days = Array(dueWithin7Days.prefix(limit))
        board.dueWithin30Days = Array(dueWithin30Days.prefix(limit))
        board.returnedAwaitingResubmission = Array(returnedAwaitingResubmission.prefix(limit))
        board.unansweredRecommendations = Array(unansweredRecommendations.prefix(limit))
        return board
    }

    /// The band index of a number of days overdue.
    public static func band(of days: Int) -> Int {
        bands.firstIndex(where: { days <= $0 }) ?? bands.count
    }

    /// Builds the board from the open tasks, the returned reports not yet followed by a
    /// submission, and the unanswered recommendations.
    public static func build(
        tasks: [(task: ProgrammeTask, progress: TaskProgress)], returned: [TaskReport],
        recommendations: [Recommendation], today: CivilDate, limit: Int = 500
    ) -> EscalationBoard {
        var overdue: [TaskLine] = []
        var soon7: [TaskLine] = []
        var soon30: [TaskLine] = []
        var byUnit: [String: UnitOverdue] = [:]
        var byDays = Array(repeating: 0, count: bands.count + 1)
        for (task, progress) in tasks {
            let status = TaskStatus.of(task, progress: progress, today: today)
            if status.isClosed || status == .proposed || status == .awaitingSignOff || status == .submitted { continue }
            func line(_ days: Int) -> TaskLine {
                TaskLine(
                    code: task.code, title: task.title, leadUnit: task.leadUnit, deadline: task.deadline,
                    effectiveDeadline: progress.effectiveDeadline, days: days, status: status,
                    illustrative: task.illustrative)
            }
            if status == .overdue {
                let days = today.dayNumber - progress.effectiveDeadline.dayNumber
                overdue.append(line(days))
                let band = band(of: days)
                byDays[band] += 1
                var unit =
                    byUnit[task.leadUnit]
                    ?? UnitOverdue(
                        unit: task.leadUnit, count: 0, byDays: Array(repeating: 0, count: bands.count + 1),
                        mostDaysOverdue: 0)
                unit.count += 1
                unit.byDays[band] += 1
                unit.mostDaysOverdue = max(unit.mostDaysOverdue, days)
                byUnit[task.leadUnit] = unit
            } else {
                let left = progress.workingDeadline.dayNumber - today.dayNumber
                if left >= 0 && left <= 7 { soon7.append(line(left)) }
                if left >= 0 && left <= 30 { soon30.append(line(left)) }
            }
        }
        overdue.sort { ($0.days, $1.code) > ($1.days, $0.code) }
        soon7.sort { ($0.days, $0.code) < ($1.days, $1.code) }
        soon30.sort { ($0.days, $0.code) < ($1.days, $1.code) }
        let returnedLines = returned.map { report in
            ReturnedReport(
                task: report.task, unit: report.unit, report: report.id, returnedAt: report.decidedAt ?? "",
                daysWaiting: today.dayNumber - (report.decidedAt.flatMap { CivilDate(iso: $0) } ?? today).dayNumber,
                comment: report.decisionComment)
        }.sorted { ($0.daysWaiting, $1.task) > ($1.daysWaiting, $0.task) }
        let unanswered = recommendations.filter { !$0.isAnswered && $0.isSignedOff }.map {
            UnansweredRecommendation(
                id: $0.id, fromUnit: $0.fromUnit, toUnit: $0.toUnit, title: $0.title, due: $0.due,
                ageDays: $0.age(today: today), overdue: $0.isOverdue(today: today))
        }.sorted { ($0.ageDays, $1.id) > ($1.ageDays, $0.id) }
        return EscalationBoard(
            today: today,
            overdueByUnit: byUnit.values.sorted {
                ($0.count, $0.mostDaysOverdue, $1.unit) > ($1.count, $1.mostDaysOverdue, $0.unit)
            },
            overdueByDays: byDays, overdue: Array(overdue.prefix(limit)), dueWithin7Days: Array(soon7.prefix(limit)),
            dueWithin30Days: Array(soon30.prefix(limit)),
            returnedAwaitingResubmission: Array(returnedLines.prefix(limit)),
            unansweredRecommendations: Array(unanswered.prefix(limit)),
            totals: Totals(
                overdue: overdue.count, dueWithin7Days: soon7.count, dueWithin30Days: soon30.count,
                returnedAwaitingResubmission: returnedLines.count, unansweredRecommendations: unanswered.count))
    }
}
