import Foundation
import MandateCore
import Testing

@Suite struct TaskCSVTests {
    static let now = Timestamp.date("2026-12-01T00:00:00.000Z")!

    static func context(stored: Set<String> = [], illustrative: Bool = false) -> TaskCSV.Context {
        let counter = Counter()
        return TaskCSV.Context(
            programme: "P", isKnownUnit: { ["01", "48", "79"].contains($0) }, orientations: ["P": [1, 2]],
            isStoredTask: stored.contains, isKnownIndicator: { $0 == "I1" || $0 == "I2" }, now: now,
            illustrative: illustrative, newId: { counter.next() })
    }

    final class Counter: @unchecked Sendable {
        var value = 0
        func next() -> String {
            value += 1
            return "r\(value)"
        }
    }

    static let tasks = """
        code,title,lead_unit,coordinating_units,start,deadline,orientation,status_hint
        A,Task A,01,48; 79,2026-01-01,2026-06-30,2,completed
        B,Task B,48,,2026-02-01,2026-12-31,,cancelled
        """

    @Test func tasksAreCheckedByTheTaskRulesAndCancelledOnesRecordedSo() throws {
        let tasks = try TaskCSV.tasks(Self.tasks, context: Self.context(illustrative: true)).map(\.task)
        #expect(tasks.map(\.code) == ["A", "B"])
        #expect(tasks[0].coordinatingUnits == ["48", "79"])
        #expect(tasks[0].orientation == 2 && tasks[0].programme == "P" && tasks[0].deliverable == "Task A")
        #expect(tasks[0].cancelledAt == nil && tasks.allSatisfy(\.illustrative))
        #expect(tasks[1].cancelledAt == "2026-12-01T00:00:00.000Z")
        #expect(tasks[1].cancelReason == TaskCSV.importedCancellation)
    }

    @Test func everyBadTaskRowIsReportedByLineAndColumn() throws {
        let text = """
            code,title,lead_unit,start,deadline,orientation,status_hint
            A,Task A,01,2026-01-01,2026-06-30,9,done
            A,Task A again,01,2026-01-01,2026-06-30,,
            S,Stored,48,2026-01-01,2026-01-02,x,
            """
        let failure = try #require(throws: ValidationFailure.self) {
            try TaskCSV.tasks(text, context: Self.context(stored: ["S"]))
        }
        let found = Set(failure.errors.map { "\($0.line ?? 0) \($0.column ?? "")" })
        #expect(found == ["2 status_hint", "2 orientation", "3 code", "4 orientation"])
    }

    @Test func aWorkPlanRowCarriesItsEnglishTitlePriorityTagsAndIndicators() throws {
        let text = """
            code,title,title_en,lead_unit,start,deadline,priority,technologies,indicators
            A,Nhiệm vụ A,Task A,01,2026-01-01,2026-06-30,high,ai; ban-dan,I1;I2
            B,Nhiệm vụ B,,48,2026-01-01,2026-06-30,,,
            """
        let rows = try TaskCSV.tasks(text, context: Self.context())
        #expect(rows.map(\.line) == [2, 3])
        let a = rows[0].task
        #expect(a.titleEn == "Task A" && a.title(in: .en) == "Task A" && a.title(in: .vi) == "Nhiệm vụ A")
        #expect(a.priority == .high && a.technologies == ["ai", "ban-dan"] && a.indicators == ["I1", "I2"])
        let b = rows[1].task
        #expect(b.titleEn == nil && b.title(in: .en) == "Nhiệm vụ B" && b.priority == .normal)
        #expect(b.technologies.isEmpty && b.indicators.isEmpty)
    }

    @Test func badWorkPlanFieldsAreNamedInBothLanguages() throws {
        let text = """
            code,title,lead_unit,start,deadline,priority,technologies,indicators
            A,Task A,01,2026-01-01,2026-06-30,urgent,AI,I9
            B,Task B,99,2026-13-01,2026-06-30,,,
            """
        let failure = try #require(throws: ValidationFailure.self) {
            try TaskCSV.tasks(text, context: Self.context())
        }
        let found = Set(failure.errors.map { "\($0.line ?? 0) \($0.column ?? "")" })
        #expect(found == ["2 priority", "2 technologies", "2 indicators", "3 lead_unit", "3 start"])
        // Every reason has a Vietnamese wording, and the page's description uses it.
        #expect(failure.errors.allSatisfy { $0.vietnamese != nil && $0.vietnamese != $0.reason })
        let unit = try #require(failure.errors.first { $0.column == "lead_unit" })
        #expect(unit.description(in: .vi) == "dòng 3, cột lead_unit: không có đơn vị \"99\"")
        #expect(unit.description(in: .en) == "line 3, column lead_unit: unknown unit \"99\"")
    }

    @Test func reportsAreTakenInTimeOrderThroughTheWorkflow() throws {
        let tasks = try TaskCSV.tasks(Self.tasks, context: Self.context()).map(\.task)
        let ordered = """
            task_code,unit,percent,submitted_at,narrative,state
            A,01,100,2026-05-02T10:00:00+07:00,Done,
            A,48,40,2026-03-01T09:00:00.5+07:00,Forty,submitted
            B,48,10,2026-03-10T08:00:00Z,Start,
            """
        let reports = try TaskCSV.reports(ordered, on: tasks, context: Self.context())
        #expect(reports.map(\.percent) == [40, 100, 10])
        #expect(reports[0].submittedAt == "2026-03-01T02:00:00.500Z" && reports[0].state == .submitted)
        #expect(reports[0].decidedAt == nil)
        #expect(reports[1].decidedAt == "2026-05-02T03:00:00.000Z" && reports[1].state == .accepted)
        // A report after the lead unit's accepted final one is refused, wherever it stands in the file.
        let late = ordered + "\nA,01,90,2026-06-01T09:00:00+07:00,Late,"
        let failure = try #require(throws: ValidationFailure.self) {
            try TaskCSV.reports(late, on: tasks, context: Self.context())
        }
        #expect(failure.errors.map(\.line) == [5])
        #expect(failure.errors.first?.column == "task_code")
    }

    @Test func reportTimesMustBeReadableNotInTheFutureAndNotBeforeTheStart() throws {
        let tasks = try TaskCSV.tasks(Self.tasks, context: Self.context()).map(\.task)
        let text = """
            task_code,unit,percent,submitted_at,narrative,state,accepted_at
            A,01,10,2027-01-01T00:00:00Z,Future,,
            A,01,10,2025-12-31T23:00:00+07:00,Before the start,,
            A,01,10,yesterday,Unreadable,,
            A,01,10,2026-03-01T00:00:00Z,Accepted before it was submitted,,2026-02-01T00:00:00Z
            A,01,10,2026-03-01T00:00:00Z,Unknown state,returned,
            """
        let failure = try #require(throws: ValidationFailure.self) {
            try TaskCSV.reports(text, on: tasks, context: Self.context())
        }
        let found = failure.errors.map { "\($0.line ?? 0) \($0.column ?? "")" }
        #expect(found == ["2 submitted_at", "3 submitted_at", "4 submitted_at", "5 accepted_at", "6 state"])
    }
}
