import MandateCore
import Testing

private func day(_ text: String) -> CivilDate { CivilDate(iso: text)! }

private func task(
    deadline: String = "2026-03-31", origin: TaskOrigin = .assigned, adoptedAt: String? = nil,
    cancelledAt: String? = nil, coordinating: [String] = ["BKHCN"]
) -> ProgrammeTask {
    ProgrammeTask(
        code: "T1", title: "Danh mục cơ sở dữ liệu", description: "", deliverable: "Danh mục", programme: "NQ57",
        orientation: 3, leadUnit: "01", coordinatingUnits: coordinating, start: day("2026-01-01"),
        deadline: day(deadline), origin: origin, adoptedAt: adoptedAt, cancelledAt: cancelledAt, illustrative: false,
        createdAt: "2026-01-01T00:00:00.000Z")
}

private func report(
    _ id: String, unit: String = "01", percent: Int, state: ReportState, created: String, submitted: String? = nil,
    decided: String? = nil
) -> TaskReport {
    TaskReport(
        id: id, task: "T1", unit: unit, percent: percent, narrative: "n", links: [], state: state, createdBy: nil,
        createdAt: created, submittedAt: submitted, decidedAt: decided)
}

private func grant(_ deadline: String, decided: String, state: ExtensionState = .granted) -> DeadlineExtension {
    DeadlineExtension(
        id: "E\(deadline)", task: "T1", unit: "01", requestedDeadline: day(deadline), reason: "r", requestedBy: nil,
        requestedAt: decided, state: state, decidedAt: decided)
}

private func status(
    _ task: ProgrammeTask, _ reports: [TaskReport] = [], _ extensions: [DeadlineExtension] = [], today: String
) -> TaskStatus {
    TaskStatus.of(task, progress: TaskProgress.of(task, reports: reports, extensions: extensions), today: day(today))
}

@Suite struct TaskStatusTests {
    @Test func withoutReportsATaskIsNotStartedUntilItsDeadlinePasses() {
        #expect(status(task(), today: "2026-03-31") == .notStarted)
        #expect(status(task(), today: "2026-04-01") == .overdue)
    }

    @Test func aRecordedReportPutsTheTaskInProgress() {
        let draft = report("a", percent: 30, state: .draft, created: "2026-02-01T00:00:00.000Z")
        #expect(status(task(), [draft], today: "2026-02-02") == .inProgress)
        // A coordinating unit's report counts as progress too.
        let theirs = report("b", unit: "BKHCN", percent: 10, state: .draft, created: "2026-02-01T00:00:00.000Z")
        #expect(status(task(), [theirs], today: "2026-02-02") == .inProgress)
    }

    @Test func submittedThenReturnedThenOverdue() {
        let submitted = report(
            "a", percent: 100, state: .submitted, created: "2026-03-01T00:00:00.000Z",
            submitted: "2026-03-02T00:00:00.000Z")
        #expect(status(task(), [submitted], today: "2026-03-05") == .submitted)
        // Awaiting the committee past the deadline is not the unit's delay.
        #expect(status(task(), [submitted], today: "2026-04-05") == .submitted)
        var returned = submitted
        returned.state = .returned
        returned.decidedAt = "2026-03-05T00:00:00.000Z"
        #expect(status(task(), [returned], today: "2026-03-06") == .returned)
        #expect(status(task(), [returned], today: "2026-04-01") == .overdue)
    }

    @Test func acceptanceIsJudgedBySubmissionAgainstTheOriginalDeadline() {
        let onTime = report(
            "a", percent: 100, state: .accepted, created: "2026-03-30T00:00:00.000Z",
            submitted: "2026-03-31T23:00:00.000Z", decided: "2026-04-10T00:00:00.000Z")
        #expect(status(task(), [onTime], today: "2026-05-01") == .acceptedOnTime)
        let late = report(
            "a", percent: 100, state: .accepted, created: "2026-03-30T00:00:00.000Z",
            submitted: "2026-04-01T01:00:00.000Z", decided: "2026-04-02T00:00:00.000Z")
        #expect(status(task(), [late], today: "2026-05-01") == .acceptedLate)
        // An accepted progress report below 100 % does not complete the task.
        let partial = report(
            "a", percent: 60, state: .accepted, created: "2026-03-01T00:00:00.000Z",
            submitted: "2026-03-02T00:00:00.000Z", decided: "2026-03-03T00:00:00.000Z")
        #expect(status(task(), [partial], today: "2026-03-10") == .inProgress)
        // Nor does a coordinating unit's 100 %.
        let theirs = report(
            "b", unit: "BKHCN", percent: 100, state: .accepted, created: "2026-03-01T00:00:00.000Z",
            submitted: "2026-03-02T00:00:00.000Z", decided: "2026-03-03T00:00:00.000Z")
        #expect(status(task(), [theirs], today: "2026-03-10") == .inProgress)
    }

    @Test func onlyAnExtensionGrantedBeforeTheDeadlineLapsedMovesIt() {
        let late = report(
            "a", percent: 100, state: .accepted, created: "2026-04-10T00:00:00.000Z",
            submitted: "2026-04-10T00:00:00.000Z", decided: "2026-04-11T00:00:00.000Z")
        let timely = grant("2026-04-30", decided: "2026-03-31T10:00:00.000Z")
        #expect(status(task(), [late], [timely], today: "2026-05-01") == .acceptedOnTime)
        let tardy = grant("2026-04-30", decided: "2026-04-01T10:00:00.000Z")
        #expect(status(task(), [late], [tardy], today: "2026-05-01") == .acceptedLate)
        let refused = grant("2026-04-30", decided: "2026-03-20T10:00:00.000Z", state: .refused)
        #expect(status(task(), [late], [refused], today: "2026-05-01") == .acceptedLate)
        // Without a report, a timely grant keeps the task from being overdue; a late one does not.
        #expect(status(task(), [], [timely], today: "2026-04-15") == .notStarted)
        #expect(status(task(), [], [tardy], today: "2026-04-15") == .overdue)
        let progress = TaskProgress.of(task(), reports: [], extensions: [tardy])
        #expect(progress.effectiveDeadline == day("2026-03-31"))
        #expect(progress.workingDeadline == day("2026-04-30"))
        // Grants chain: the second counts because it came before the first extension lapsed.
        let second = grant("2026-05-31", decided: "2026-04-20T00:00:00.000Z")
        #expect(
            TaskProgress.of(task(), reports: [], extensions: [second, timely]).effectiveDeadline == day("2026-05-31"))
    }

    /// The day a task turns overdue is the day after the deadline that counts, for the status and
    /// for the live `task-overdue` event alike; an extension granted after that deadline lapsed
    /// moves the working deadline, not that day.
    @Test func aTaskTurnsOverdueTheDayAfterTheDeadlineThatCounts() {
        func turns(_ extensions: [DeadlineExtension], on text: String, _ reports: [TaskReport] = []) -> Bool {
            let task = task()
            let progress = TaskProgress.of(task, reports: reports, extensions: extensions)
            return TaskStatus.turnsOverdue(task, progress: progress, on: day(text))
        }
        #expect(TaskProgress.of(task(), reports: [], extensions: []).overdueFrom == day("2026-04-01"))
        #expect(turns([], on: "2026-04-01"))
        #expect(!turns([], on: "2026-03-31") && !turns([], on: "2026-04-02"))
        let tardy = grant("2026-04-30", decided: "2026-04-05T10:00:00.000Z")
        #expect(TaskProgress.of(task(), reports: [], extensions: [tardy]).overdueFrom == day("2026-04-01"))
        #expect(turns([tardy], on: "2026-04-01"))
        #expect(!turns([tardy], on: "2026-05-01"))
        let timely = grant("2026-04-30", decided: "2026-03-31T10:00:00.000Z")
        #expect(!turns([timely], on: "2026-04-01") && turns([timely], on: "2026-05-01"))
        // A lead report awaiting the committee keeps the task from turning overdue.
        let submitted = report(
            "a", percent: 100, state: .submitted, created: "2026-03-01T00:00:00.000Z",
            submitted: "2026-03-02T00:00:00.000Z")
        #expect(!turns([], on: "2026-04-01", [submitted]))
    }

    @Test func cancellationAndProposals() {
        #expect(status(task(cancelledAt: "2026-02-01T00:00:00.000Z"), today: "2026-05-01") == .cancelled)
        #expect(status(task(origin: .proposed), today: "2026-05-01") == .awaitingSignOff)
        var signed = task(origin: .proposed)
        signed.signedOffAt = "2026-01-02T00:00:00.000Z"
        #expect(status(signed, today: "2026-05-01") == .proposed)
        #expect(
            status(task(origin: .proposed, adoptedAt: "2026-01-05T00:00:00.000Z"), today: "2026-05-01") == .overdue)
    }

    @Test func theLatestLeadReportDecides() {
        let returned = report(
            "a", percent: 100, state: .returned, created: "2026-03-01T00:00:00.000Z",
            submitted: "2026-03-02T00:00:00.000Z", decided: "2026-03-03T00:00:00.000Z")
        let again = report(
            "b", percent: 100, state: .submitted, created: "2026-03-04T00:00:00.000Z",
            submitted: "2026-03-05T00:00:00.000Z")
        #expect(status(task(), [again, returned], today: "2026-03-06") == .submitted)
    }
}

@Suite struct TaskInputTests {
    let units: Set<String> = ["01", "BKHCN", "BCD"]

    func draft(start: String = "2026-01-01", deadline: String = "2026-03-31", lead: String = "01") -> TaskDraft {
        TaskDraft(
            code: "NQ57-X", title: "Lộ trình", deliverable: "Lộ trình công nghệ", programme: "NQ57", orientation: 3,
            leadUnit: lead, coordinatingUnits: ["BKHCN"], start: start, deadline: deadline)
    }

    func check(_ draft: TaskDraft) -> [RowError] {
        do {
            _ = try draft.task(
                origin: .assigned, at: "2026-01-01T00:00:00.000Z", isKnownUnit: units.contains,
                orientations: ["NQ57": Set(1...7)], isKnownIndicator: { _ in false })
            return []
        } catch {
            return error.errors
        }
    }

    @Test func aGoodDraftMakesATask() throws {
        let made = try draft().task(
            origin: .assigned, at: "2026-01-01T00:00:00.000Z", isKnownUnit: units.contains,
            orientations: ["NQ57": Set(1...7)], isKnownIndicator: { _ in false })
        #expect(made.deadline == day("2026-03-31"))
        #expect(made.reportingUnits == ["01", "BKHCN"])
    }

    @Test func badDraftsNameTheirField() {
        #expect(check(draft(start: "2026-04-01")).map(\.column) == ["deadline"])
        #expect(check(draft(lead: "99")).map(\.column) == ["leadUnit"])
        #expect(check(draft(deadline: "2026-02-30")).map(\.column) == ["deadline"])
        var other = draft()
        other.orientation = 9
        other.code = "bad code"
        #expect(check(other).map(\.column) == ["code", "orientation"])
    }

    @Test func progressIsCheckedAgainstTheTask() {
        let open = task()
        func errors(_ input: ProgressInput, _ task: ProgrammeTask = task()) -> [String?] {
            do {
                _ = try input.check(for: task)
                return []
            } catch {
                return error.errors.map(\.column)
            }
        }
        #expect(errors(ProgressInput(unit: "01", percent: 40, narrative: "ok")) == [])
        #expect(errors(ProgressInput(unit: "01", percent: 140, narrative: "ok")) == ["percent"])
        #expect(errors(ProgressInput(unit: "02", percent: 40, narrative: "ok")) == ["unit"])
        #expect(errors(ProgressInput(unit: "01", percent: 40, narrative: "ok", links: ["ftp://x"])) == ["links"])
        #expect(
            errors(ProgressInput(unit: "01", percent: 40, narrative: "ok"), task(cancelledAt: "2026-02-01")) == [
                "task"
            ])
        _ = open
    }

    @Test func filesOverTwentyMegabytesAreRefused() throws {
        #expect(try EvidenceFile.check(name: " plan.pdf ", size: 1000) == "plan.pdf")
        #expect(throws: ValidationFailure.self) { try EvidenceFile.check(name: "plan.pdf", size: 20 * 1024 * 1024 + 1) }
        #expect(throws: ValidationFailure.self) { try EvidenceFile.check(name: "../x", size: 10) }
    }
}
