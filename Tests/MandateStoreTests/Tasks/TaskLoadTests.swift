import Foundation
import MandateCore
import MandateStore
import Testing

@Suite struct TaskLoadTests {
    static let today = CivilDate(iso: "2026-06-15")!
    static let options = TaskLoad.Options(tasks: 600, reports: 6_000, recommendations: 40, seed: 7, today: today)

    static func units() throws -> [OrgUnit] {
        try ReferenceUnits.load().units
    }

    @Test func theSameOptionsGiveTheSameLoad() throws {
        let units = try Self.units()
        let first = TaskLoad.content(units: units, options: Self.options)
        let second = TaskLoad.content(units: units, options: Self.options)
        #expect(first.tasks == second.tasks)
        #expect(first.reports == second.reports)
        #expect(first.extensions == second.extensions)
        #expect(first.recommendations == second.recommendations)
        var other = Self.options
        other.seed = 8
        #expect(TaskLoad.content(units: units, options: other).tasks != first.tasks)
    }

    @Test func countsAreExactAndNothingIsDatedAfterYesterday() throws {
        let units = try Self.units()
        let content = TaskLoad.content(units: units, options: Self.options)
        #expect(content.tasks.count == 600)
        #expect(content.reports.count == 6_000)
        #expect(content.recommendations.count == 40)
        #expect(Set(content.tasks.map(\.task.code)).count == 600)
        #expect(Set(content.reports.map(\.id)).count == 6_000)
        let active = Set(units.filter(\.active).map(\.code))
        #expect(content.tasks.allSatisfy { active.contains($0.task.leadUnit) })
        #expect(content.tasks.allSatisfy { $0.task.coordinatingUnits.allSatisfy(active.contains) })
        #expect(content.tasks.allSatisfy { !$0.task.coordinatingUnits.contains($0.task.leadUnit) })
        let tasks = Dictionary(uniqueKeysWithValues: content.tasks.map { ($0.task.code, $0.task) })
        let limit = "\(Self.today)T00:00:00.000Z"
        for report in content.reports {
            let task = try #require(tasks[report.task])
            #expect(task.reportingUnits.contains(report.unit))
            #expect(report.createdAt < limit && (report.submittedAt ?? "") < limit && (report.decidedAt ?? "") < limit)
            #expect(report.createdAt >= task.start.description)
            if let submitted = report.submittedAt, let decided = report.decidedAt { #expect(submitted < decided) }
            #expect(report.illustrative)
        }
        #expect(content.extensions.allSatisfy { ($0.decidedAt ?? "") < limit && $0.requestedAt < limit })
    }

    @Test func theMixIsRealistic() throws {
        let content = TaskLoad.content(units: try Self.units(), options: Self.options)
        let statuses = Dictionary(grouping: content.tasks, by: { $0.status(today: Self.today) }).mapValues(\.count)
        // Most tasks closed on time; every status the board deals with is present.
        let onTime = statuses[.acceptedOnTime] ?? 0
        #expect(onTime > (statuses[.acceptedLate] ?? 0) && onTime > (statuses[.overdue] ?? 0))
        for status in [TaskStatus.acceptedLate, .overdue, .submitted, .returned, .inProgress, .notStarted] {
            #expect((statuses[status] ?? 0) > 0, "no task is \(status.rawValue)")
        }
        let board = EscalationBoard.build(
            tasks: content.tasks.map { ($0.task, $0.progress) },
            returned: content.reports.filter { $0.state == .returned }, recommendations: content.recommendations,
            today: Self.today)
        #expect(board.totals.dueWithin30Days > 0 && board.totals.unansweredRecommendations > 0)
    }

    @Test(arguments: TestDatabase.available)
    func theLoadReadsBackAsTheBoardAndMeasuresOfItsContent(database: TestDatabase) async throws {
        try await database.withStore { store in
            let units = try await store.units.list(UnitQuery(limit: 100_000)).items
            let options = TaskLoad.Options(tasks: 150, reports: 1_200, recommendations: 12, seed: 3, today: Self.today)
            let content = TaskLoad.content(units: units, options: options)
            try await store.tasks.save(DemoTasks.programme)
            try await SQLTaskRepository(database: store.database).load(content)
            #expect(try await store.tasks.list(TaskQuery(today: Self.today, limit: 1)).total == 150)
            let facts = try await store.tasks.deliveryFacts()
            let measures = DeliveryMeasures.compute(facts, today: Self.today)
            #expect(!measures.isEmpty)
            let board = try await store.tasks.escalation(today: Self.today, limit: 5_000)
            // The returned reports still awaiting resubmission: no later submission by the same unit.
            let returned = content.reports.filter { report in
                report.state == .returned
                    && !content.reports.contains {
                        $0.task == report.task && $0.unit == report.unit
                            && ($0.submittedAt ?? "") > (report.decidedAt ?? "")
                    }
            }
            let expected = EscalationBoard.build(
                tasks: content.tasks.map { ($0.task, $0.progress) }, returned: returned,
                recommendations: content.recommendations, today: Self.today, limit: 5_000)
            #expect(board.totals == expected.totals)
            #expect(board.overdueByUnit == expected.overdueByUnit)
            #expect(board.overdue.map(\.code) == expected.overdue.map(\.code))
        }
    }
}
