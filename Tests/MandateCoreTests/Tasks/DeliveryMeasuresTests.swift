import MandateCore
import Testing

private func day(_ text: String) -> CivilDate { CivilDate(iso: text)! }

private func fact(
    _ code: String, lead: String, coordinating: [String] = [], start: String = "2026-01-01", deadline: String,
    accepted: String? = nil, leadState: ReportState? = nil, months: [String: Set<Int>] = [:]
) -> DeliveryFacts {
    let task = ProgrammeTask(
        code: code, title: code, description: "", deliverable: "d", programme: "NQ57", orientation: nil,
        leadUnit: lead, coordinatingUnits: coordinating, start: day(start), deadline: day(deadline), origin: .assigned,
        illustrative: false, createdAt: "2026-01-01T00:00:00.000Z")
    let progress = TaskProgress(
        effectiveDeadline: day(deadline), workingDeadline: day(deadline), leadState: leadState,
        acceptedSubmittedOn: accepted.map(day), percent: nil, hasReports: leadState != nil)
    return DeliveryFacts(task: task, progress: progress, submittedMonths: months)
}

@Suite struct DeliveryMeasuresTests {
    @Test func ratesCountsAndDaysLate() throws {
        let jan = 2026 * 12 + 0
        let facts = [
            // On time.
            fact("A", lead: "01", deadline: "2026-03-31", accepted: "2026-03-20", leadState: .accepted),
            // Accepted 10 days late.
            fact("B", lead: "01", deadline: "2026-03-31", accepted: "2026-04-10", leadState: .accepted),
            // Overdue by 30 days on 2026-05-01.
            fact("C", lead: "01", deadline: "2026-04-01", leadState: .draft),
            // Not due yet.
            fact("D", lead: "01", deadline: "2026-12-31"),
            // Another unit: nothing due, coordinating B2.
            fact(
                "E", lead: "02", coordinating: ["01"], start: "2026-03-01", deadline: "2026-12-31",
                months: ["02": [jan + 2, jan + 3], "01": [jan + 3]]),
        ]
        let measures = DeliveryMeasures.compute(facts, today: day("2026-05-01"))
        let first = try #require(measures["01"])
        #expect(first.tasksLed == 4)
        #expect(first.tasksDue == 3)
        #expect(first.acceptedOnTime == 1)
        #expect(first.onTimeRate == 1.0 / 3.0)
        #expect(first.overdueCount == 1)
        #expect(first.meanDaysLate == 20)  // (10 + 30) / 2
        let second = try #require(measures["02"])
        #expect(second.onTimeRate == nil)
        #expect(second.meanDaysLate == nil)
        // Task E expected March and April from both units: 02 covered both, 01 only April.
        #expect(second.reportingTimeliness == 1)
        // 01: tasks A and B (Jan–Mar: accepted in March and April), C (Jan–Apr), D (Jan–Apr), E (Mar–Apr).
        // Expected 3 + 4 + 4 + 4 + 2 = 17 months, covered 1 (E in April).
        #expect(first.reportingTimeliness == 1.0 / 17.0)
    }

    @Test func cancelledAndProposedTasksDoNotCount() {
        var cancelled = fact("A", lead: "01", deadline: "2026-03-31")
        cancelled.task.cancelledAt = "2026-02-01T00:00:00.000Z"
        var proposed = fact("B", lead: "01", deadline: "2026-03-31")
        proposed.task.origin = .proposed
        #expect(DeliveryMeasures.compute([cancelled, proposed], today: day("2026-05-01")).isEmpty)
    }
}

@Suite struct EscalationBoardTests {
    @Test func groupsOverdueByUnitAndBandAndListsWhatIsDueSoon() {
        let today = day("2026-05-01")
        let facts = [
            fact("A", lead: "01", deadline: "2026-04-28"),  // 3 days overdue
            fact("B", lead: "01", deadline: "2026-01-01"),  // 120 days
            fact("C", lead: "02", deadline: "2026-04-01"),  // 30 days
            fact("D", lead: "02", deadline: "2026-05-05"),  // due in 4 days
            fact("E", lead: "02", deadline: "2026-05-20"),  // due in 19 days
            fact("F", lead: "03", deadline: "2026-01-01", accepted: "2026-01-01", leadState: .accepted),
            fact("G", lead: "03", deadline: "2026-01-01", leadState: .submitted),
        ]
        let recommendation = Recommendation(
            id: "R1", fromUnit: "01", toUnit: "BCD", title: "t", body: "", due: day("2026-04-01"), raisedBy: nil,
            raisedAt: "2026-03-01T00:00:00.000Z", signedOffAt: "2026-03-01T00:00:00.000Z")
        let board = EscalationBoard.build(
            tasks: facts.map { ($0.task, $0.progress) }, returned: [], recommendations: [recommendation],
            today: today)
        #expect(board.overdue.map(\.code) == ["B", "C", "A"])
        #expect(board.overdue.map(\.days) == [120, 30, 3])
        #expect(board.overdueByDays == [1, 1, 0, 1])
        #expect(board.overdueByUnit.map(\.unit) == ["01", "02"])
        #expect(board.overdueByUnit[0].byDays == [1, 0, 0, 1])
        #expect(board.dueWithin7Days.map(\.code) == ["D"])
        #expect(board.dueWithin30Days.map(\.code) == ["D", "E"])
        #expect(board.unansweredRecommendations.map(\.ageDays) == [61])
        #expect(board.unansweredRecommendations.first?.overdue == true)
        #expect(board.totals.overdue == 3)
    }

    @Test func aBoardBuiltOnceServesEveryLimit() {
        let today = day("2026-05-01")
        let facts = (1...30).map { index in
            fact("T\(index)", lead: "0\(index % 3)", deadline: today.adding(days: 25 - 3 * index).description)
        }
        let full = EscalationBoard.build(
            tasks: facts.map { ($0.task, $0.progress) }, returned: [], recommendations: [], today: today, limit: .max)
        for limit in [1, 2, 5, 20, 100] {
            let built = EscalationBoard.build(
                tasks: facts.map { ($0.task, $0.progress) }, returned: [], recommendations: [], today: today,
                limit: limit)
            #expect(full.limited(to: limit) == built)
        }
        #expect(full.limited(to: 2).overdue.count == 2)
        #expect(full.limited(to: 2).totals == full.totals)
    }
}
