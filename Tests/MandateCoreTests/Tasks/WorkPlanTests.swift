import MandateCore
import Testing

/// A work plan imported over stored tasks: what each row does, and the revisions refused because
/// they would orphan a task's reports or history.
@Suite struct WorkPlanTests {
    static func day(_ text: String) -> CivilDate { CivilDate(iso: text)! }

    static func task(
        _ code: String = "A", lead: String = "01", coordinating: [String] = ["48"], start: String = "2026-01-01",
        deadline: String = "2026-06-30", origin: TaskOrigin = .assigned
    ) -> ProgrammeTask {
        ProgrammeTask(
            code: code, title: "Nhiệm vụ \(code)", description: "", deliverable: "Sản phẩm", programme: "P",
            orientation: 1, leadUnit: lead, coordinatingUnits: coordinating, start: day(start),
            deadline: day(deadline), origin: origin, illustrative: false, createdAt: "2026-01-01T00:00:00.000Z")
    }

    static func stored(
        _ task: ProgrammeTask, reportsBy units: Set<String> = [], firstReport: String? = nil
    ) -> WorkPlan.Stored {
        WorkPlan.Stored(
            task: task, progress: TaskProgress.of(task, reports: [], extensions: []), unitsWithReports: units,
            firstReportDay: firstReport.map(day))
    }

    static func steps(
        _ rows: [ProgrammeTask], over stored: [WorkPlan.Stored]
    ) throws(ValidationFailure)
        -> [WorkPlan.Step]
    {
        let byCode = Dictionary(uniqueKeysWithValues: stored.map { ($0.task.code, $0) })
        return try WorkPlan.steps(
            rows.enumerated().map { WorkPlan.Row(line: $0.offset + 2, task: $0.element) }, stored: { byCode[$0] })
    }

    @Test func newCodesCreateStoredOnesReviseAndIdenticalRowsChangeNothing() throws {
        var revised = Self.task()
        revised.title = "Tên mới"
        revised.deadline = Self.day("2026-09-30")
        revised.priority = .high
        revised.indicators = ["I1"]
        let steps = try Self.steps(
            [Self.task("NEW"), revised, Self.task("SAME")],
            over: [Self.stored(Self.task()), Self.stored(Self.task("SAME"))])
        #expect(steps.map(\.action) == [.create, .update, .unchanged])
        #expect(steps.map(\.line) == [2, 3, 4])
        #expect(steps[1].changes == ["title", "deadline", "priority", "indicators"])
        // What the import does not set stays as stored.
        #expect(steps[1].task.createdAt == Self.task().createdAt && steps[1].task.origin == .assigned)
    }

    @Test func aRevisionThatWouldOrphanReportsIsRefusedWithItsLineAndColumn() throws {
        var newLead = Self.task()
        newLead.leadUnit = "79"
        newLead.coordinatingUnits = ["01"]
        var dropsCoordinator = Self.task("B")
        dropsCoordinator.coordinatingUnits = []
        var laterStart = Self.task("C")
        laterStart.start = Self.day("2026-03-01")
        var otherProgramme = Self.task("D")
        otherProgramme.programme = "Q"
        let failure = try #require(throws: ValidationFailure.self) {
            try Self.steps(
                [newLead, dropsCoordinator, laterStart, otherProgramme],
                over: [
                    Self.stored(Self.task(), reportsBy: ["01"]), Self.stored(Self.task("B"), reportsBy: ["48"]),
                    Self.stored(Self.task("C"), reportsBy: ["01"], firstReport: "2026-02-15"),
                    Self.stored(Self.task("D")),
                ])
        }
        let found = failure.errors.map { "\($0.line ?? 0) \($0.column ?? "")" }
        #expect(found == ["2 lead_unit", "3 coordinating_units", "4 start", "5 programme"])
        #expect(failure.errors.allSatisfy { $0.vietnamese != nil })
    }

    @Test func unitsWithoutReportsMayGoAndTheStartMayMoveUpToTheFirstReport() throws {
        var revised = Self.task()
        revised.leadUnit = "79"
        revised.coordinatingUnits = ["48"]
        revised.start = Self.day("2026-02-15")
        let steps = try Self.steps(
            [revised], over: [Self.stored(Self.task(lead: "01"), reportsBy: ["48"], firstReport: "2026-02-15")])
        #expect(steps.map(\.action) == [.update])
        #expect(steps[0].changes == ["leadUnit", "start"])
    }

    @Test func cancelledTasksAndPendingProposalsAreNotChanged() throws {
        var cancelled = Self.task()
        cancelled.cancelledAt = "2026-02-01T00:00:00.000Z"
        var retitled = Self.task()
        retitled.title = "Khác"
        var proposalRetitled = Self.task("P1", origin: .proposed)
        proposalRetitled.title = "Khác"
        let failure = try #require(throws: ValidationFailure.self) {
            try Self.steps(
                [retitled, proposalRetitled],
                over: [Self.stored(cancelled), Self.stored(Self.task("P1", origin: .proposed))])
        }
        #expect(failure.errors.map(\.line) == [2, 3])
        // The same rows as stored are simply unchanged.
        let steps = try Self.steps(
            [Self.task(), Self.task("P1", origin: .proposed)],
            over: [Self.stored(cancelled), Self.stored(Self.task("P1", origin: .proposed))])
        #expect(steps.map(\.action) == [.unchanged, .unchanged])
    }

    @Test func aRowMarkedCancelledCancelsAStoredTask() throws {
        var cancelling = Self.task()
        cancelling.cancelledAt = "2026-03-01T00:00:00.000Z"
        cancelling.cancelReason = "Gộp vào nhiệm vụ B"
        let steps = try Self.steps([cancelling], over: [Self.stored(Self.task())])
        #expect(steps.map(\.action) == [.cancel])
        #expect(steps[0].task.cancelReason == "Gộp vào nhiệm vụ B" && steps[0].changes.isEmpty)
    }
}
