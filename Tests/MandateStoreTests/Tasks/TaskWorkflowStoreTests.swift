import Foundation
import MandateCore
import MandateStore
import Testing

/// The store refuses, inside its transactions, exactly the steps `TaskWorkflow` refuses, and logs
/// an accepted report's evidence as docs/TRANSPARENCY.md says: on SQLite and PostgreSQL.
@Suite struct TaskWorkflowStoreTests {
    @Test(arguments: TestDatabase.available)
    func stepsTheWorkflowRefusesChangeNothing(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.tasks.save(TaskFixture.programme)
            _ = try await store.tasks.create(try TaskFixture.task(), by: TaskFixture.at("2026-01-01"))
            let draft = try await store.tasks.recordProgress(
                ProgressInput(unit: "01", percent: 40, narrative: "x"), on: "T1", by: TaskFixture.at("2026-02-01"),
                illustrative: false)
            let final = try await store.tasks.recordProgress(
                ProgressInput(unit: "01", percent: 100, narrative: "y"), on: "T1", by: TaskFixture.at("2026-02-02"),
                illustrative: false)
            _ = try await store.tasks.submit(final.id, by: TaskFixture.at("2026-02-03"))
            _ = try await store.tasks.decide(final.id, accept: true, comment: nil, by: TaskFixture.at("2026-02-04"))
            // Accepted: the task takes no more reports, files or submissions, and is not cancelled.
            await #expect(throws: ValidationFailure.self) {
                try await store.tasks.recordProgress(
                    ProgressInput(unit: "01", percent: 50, narrative: "z"), on: "T1", by: TaskFixture.at("2026-02-05"),
                    illustrative: false)
            }
            await #expect(throws: StateConflict.self) {
                try await store.tasks.attach(
                    Data("a".utf8), name: "a.txt", contentType: "text/plain", to: draft.id,
                    by: TaskFixture.at("2026-02-05"))
            }
            await #expect(throws: StateConflict.self) {
                try await store.tasks.submit(draft.id, by: TaskFixture.at("2026-02-05"))
            }
            await #expect(throws: StateConflict.self) {
                try await store.tasks.cancel("T1", reason: "r", by: TaskFixture.at("2026-02-05"))
            }
            #expect(try await store.tasks.report(draft.id)?.files.isEmpty == true)

            // A proposal may be cancelled (that is how the committee turns it down), not reported on.
            var proposal = try TaskFixture.task("P1", lead: "BKHCN", deadline: "2026-12-31")
            proposal.origin = .proposed
            proposal.coordinatingUnits = []
            _ = try await store.tasks.create(proposal, by: TaskFixture.at("2026-02-01"))
            await #expect(throws: ValidationFailure.self) {
                try await store.tasks.requestExtension(
                    ExtensionInput(deadline: "2027-01-31", reason: "r"), on: "P1", by: TaskFixture.at("2026-02-02"))
            }
            let cancelled = try await store.tasks.cancel("P1", reason: "Trùng lặp", by: TaskFixture.at("2026-02-02"))
            #expect(cancelled.status(today: CivilDate(iso: "2026-03-01")!) == .cancelled)
            await #expect(throws: StateConflict.self) {
                try await store.tasks.adopt("P1", by: TaskFixture.at("2026-02-03"))
            }
            #expect(try await store.tasks.history(of: "P1").map(\.kind) == [.proposed, .cancelled])
        }
    }

    @Test(arguments: TestDatabase.available)
    func aDraftOfACancelledTaskTakesNoFile(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.tasks.save(TaskFixture.programme)
            _ = try await store.tasks.create(try TaskFixture.task(), by: TaskFixture.at("2026-01-01"))
            let draft = try await store.tasks.recordProgress(
                ProgressInput(unit: "01", percent: 40, narrative: "x"), on: "T1", by: TaskFixture.at("2026-02-01"),
                illustrative: false)
            _ = try await store.tasks.cancel("T1", reason: "Gộp", by: TaskFixture.at("2026-02-02"))
            await #expect(throws: StateConflict.self) {
                try await store.tasks.attach(
                    Data("a".utf8), name: "a.txt", contentType: "text/plain", to: draft.id,
                    by: TaskFixture.at("2026-02-03"))
            }
            #expect(try await store.tasks.history(of: "T1").map(\.kind) == [.assigned, .progressRecorded, .cancelled])
        }
    }

    /// The logged leaf lists the files by name, not in upload order, then the links; the facts
    /// derived afresh from the tables give the same bytes.
    @Test(arguments: TestDatabase.available)
    func anAcceptedReportsEvidenceIsLoggedByFileNameThenLinks(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.tasks.save(TaskFixture.programme)
            _ = try await store.tasks.create(try TaskFixture.task(), by: TaskFixture.at("2026-01-01"))
            let draft = try await store.tasks.recordProgress(
                ProgressInput(unit: "01", percent: 100, narrative: "x", links: ["https://hanoi.gov.vn/bao-cao/57"]),
                on: "T1", by: TaskFixture.at("2026-03-20"), illustrative: false)
            let later = Data("danh mục".utf8)
            let earlier = Data("biên bản nghiệm thu".utf8)
            for (content, name) in [(later, "danh-muc.txt"), (earlier, "bien-ban.txt")] {
                _ = try await store.tasks.attach(
                    content, name: name, contentType: "text/plain", to: draft.id, by: TaskFixture.at("2026-03-20"))
            }
            _ = try await store.tasks.submit(draft.id, by: TaskFixture.at("2026-03-21"))
            let size = try await store.log.size()
            _ = try await store.tasks.decide(draft.id, accept: true, comment: nil, by: TaskFixture.at("2026-03-22"))
            let leaf = try #require(try await store.log.entries(in: size..<(size + 1)).first)
            let fact = try #require(PublishedFact(canonicalBytes: leaf.data))
            #expect(
                fact.fields["evidence"]
                    == [
                        SHA256Hex.of(earlier), SHA256Hex.of(later),
                        "link:" + SHA256Hex.of(Data("https://hanoi.gov.vn/bao-cao/57".utf8)),
                    ].joined(separator: ","))
            #expect(
                try await store.tasks.acceptedReportFacts(limit: 10, offset: 0).map(\.canonicalBytes) == [leaf.data])
        }
    }
}
