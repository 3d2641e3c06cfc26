import Foundation
import MandateCore
import MandateStore
import Testing

/// What waits in the workflow, as "My work" reads it, on SQLite and PostgreSQL: reports submitted
/// and extensions pending (oldest first, with their tasks' titles), and one unit's draft reports.
@Suite struct WaitingWorkStoreTests {
    @Test(arguments: TestDatabase.available)
    func submittedReportsPendingExtensionsAndAUnitsDrafts(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.tasks.save(TaskFixture.programme)
            _ = try await store.tasks.create(try TaskFixture.task(), by: TaskFixture.at("2026-01-01"))
            _ = try await store.tasks.create(
                try TaskFixture.task("T2", lead: "BKHCN", deadline: "2026-12-31"), by: TaskFixture.at("2026-01-01"))
            #expect(try await store.tasks.waiting(draftReportsOf: "01", limit: 10) == WaitingWork())

            let first = try await store.tasks.recordProgress(
                ProgressInput(unit: "01", percent: 40, narrative: "x"), on: "T1", by: TaskFixture.at("2026-02-01"),
                illustrative: false)
            let second = try await store.tasks.recordProgress(
                ProgressInput(unit: "BKHCN", percent: 20, narrative: "y"), on: "T2", by: TaskFixture.at("2026-02-02"),
                illustrative: false)
            var waiting = try await store.tasks.waiting(draftReportsOf: "01", limit: 10)
            #expect(waiting.draftReports.map(\.task) == ["T1"] && waiting.submittedReports.isEmpty)
            #expect(try await store.tasks.waiting(draftReportsOf: nil, limit: 10).draftReports.isEmpty)

            _ = try await store.tasks.submit(second.id, by: TaskFixture.at("2026-02-03"))
            _ = try await store.tasks.submit(first.id, by: TaskFixture.at("2026-02-04"))
            _ = try await store.tasks.requestExtension(
                ExtensionInput(deadline: "2027-01-31", reason: "r"), on: "T2", by: TaskFixture.at("2026-02-05"))
            waiting = try await store.tasks.waiting(draftReportsOf: "01", limit: 10)
            let task = try #require(try await store.tasks.get("T2")).task
            #expect(
                waiting.submittedReports == [
                    WaitingItem(task: "T2", title: task.title, unit: "BKHCN", since: TaskFixture.at("2026-02-03").at),
                    WaitingItem(
                        task: "T1", title: try #require(try await store.tasks.get("T1")).task.title, unit: "01",
                        since: TaskFixture.at("2026-02-04").at),
                ])
            #expect(waiting.submittedReportCount == 2 && waiting.draftReports.isEmpty)
            #expect(waiting.pendingExtensions.map(\.task) == ["T2"])
            // The list is cut at the limit; the count is whole.
            let one = try await store.tasks.waiting(draftReportsOf: nil, limit: 1)
            #expect(one.submittedReports.map(\.task) == ["T2"] && one.submittedReportCount == 2)

            _ = try await store.tasks.decide(first.id, accept: false, comment: "z", by: TaskFixture.at("2026-02-06"))
            #expect(try await store.tasks.waiting(draftReportsOf: nil, limit: 10).submittedReportCount == 1)
        }
    }
}
