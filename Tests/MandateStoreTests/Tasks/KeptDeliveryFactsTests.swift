import Foundation
import MandateCore
import Testing

@testable import MandateStore

/// The delivery facts one repository keeps follow the writes another instance makes on the same
/// database, reading only the tasks those writes changed.
@Suite struct KeptDeliveryFactsTests {
    /// What the measures depend on in one task's facts (the kept copy leaves the words out).
    struct Facts: Hashable {
        var code, lead: String
        var coordinating: [String]
        var start, deadline: CivilDate
        var origin: TaskOrigin
        var adoptedAt, cancelledAt: String?
        var progress: TaskProgress
        var submittedMonths: [String: Set<Int>]

        init(_ facts: DeliveryFacts) {
            let task = facts.task
            (code, lead, coordinating) = (task.code, task.leadUnit, task.coordinatingUnits)
            (start, deadline, origin) = (task.start, task.deadline, task.origin)
            (adoptedAt, cancelledAt) = (task.adoptedAt, task.cancelledAt)
            (progress, submittedMonths) = (facts.progress, facts.submittedMonths)
        }
    }

    /// Every task's facts read the way the task pages read them: the whole record, and its reports.
    static func reference(_ tasks: any TaskRepository) async throws -> [DeliveryFacts] {
        var result: [DeliveryFacts] = []
        // Every task, the proposals awaiting sign-off (of 01 here) included.
        let every = TaskQuery(unsignedUnits: ["01", "BKHCN"], today: CivilDate(iso: "2026-01-01")!, limit: 1000)
        for record in try await tasks.list(every).items {
            var months: [String: Set<Int>] = [:]
            for report in try await tasks.reports(of: record.task.code) {
                guard let submitted = report.submittedAt.flatMap({ CivilDate(iso: String($0.prefix(10))) }) else {
                    continue
                }
                months[report.unit, default: []].insert(DeliveryMeasures.monthIndex(submitted))
            }
            result.append(DeliveryFacts(task: record.task, progress: record.progress, submittedMonths: months))
        }
        return result
    }

    static let days = ["2026-01-31", "2026-03-31", "2026-06-30"].map { CivilDate(iso: $0)! }

    @Test(arguments: TestDatabase.available)
    func theKeptFactsFollowAnotherInstancesWritesReadingOnlyTheChangedTasks(database: TestDatabase) async throws {
        try await database.withStore { store in
            let writer = store.tasks
            let reader = SQLTaskRepository(database: store.database)
            /// Checks the reader against the reference after a write that changed `changed` tasks.
            func check(changed: Int, _ comment: Comment) async throws {
                let reference = try await Self.reference(writer)
                let kept = try await reader.deliveryFacts()
                let read = try await reader.kept.current(on: store.database).lastRead
                #expect(read == changed, comment)
                #expect(
                    Set(kept.map(Facts.init))
                        == Set(reference.filter { $0.task.cancelledAt == nil }.map(Facts.init)), comment)
                for day in Self.days {
                    let measures = try await reader.deliveryMeasures(asOf: day)
                    #expect(measures == DeliveryMeasures.compute(reference, today: day), comment)
                }
            }
            try await writer.save(TaskFixture.programme)
            try await check(changed: 0, "no task yet")
            _ = try await writer.create(try TaskFixture.task("A"), by: TaskFixture.at("2026-01-01"))
            _ = try await writer.create(
                try TaskFixture.task("B", deadline: "2026-02-28"), by: TaskFixture.at("2026-01-01"))
            _ = try await writer.create(try TaskFixture.task("C", lead: "BKHCN"), by: TaskFixture.at("2026-01-01"))
            // The reader's first copy is a whole read: three tasks.
            try await check(changed: 3, "three tasks created")
            let draft = try await writer.recordProgress(
                ProgressInput(unit: "01", percent: 100, narrative: "x"), on: "A", by: TaskFixture.at("2026-02-20"),
                illustrative: false)
            try await check(changed: 1, "a draft report on A")
            _ = try await writer.submit(draft.id, by: TaskFixture.at("2026-02-21"))
            try await check(changed: 1, "the report submitted")
            _ = try await writer.decide(draft.id, accept: true, comment: nil, by: TaskFixture.at("2026-03-02"))
            try await check(changed: 1, "the report accepted")
            let coordinated = try await writer.recordProgress(
                ProgressInput(unit: "BKHCN", percent: 30, narrative: "y"), on: "B", by: TaskFixture.at("2026-02-10"),
                illustrative: false)
            _ = try await writer.submit(coordinated.id, by: TaskFixture.at("2026-02-11"))
            try await check(changed: 1, "a coordinating unit's report on B")
            let request = try await writer.requestExtension(
                ExtensionInput(deadline: "2026-05-31", reason: "Chờ số liệu"), on: "B", by: TaskFixture.at("2026-02-12")
            )
            _ = try await writer.decideExtension(
                request.id, grant: true, comment: nil, by: TaskFixture.at("2026-02-13"))
            try await check(changed: 1, "an extension granted on B")
            let raised = try await writer.raise(
                RecommendationInput(fromUnit: "01", toUnit: "BCD", title: "Đề nghị", body: "", due: "2026-03-01"),
                by: TaskFixture.at("2026-02-14"), signedOff: true, illustrative: false)
            _ = try await writer.answer(raised.id, text: "Đã trả lời", by: TaskFixture.at("2026-02-15"))
            try await check(changed: 0, "a recommendation raised and answered: no task's facts")
            await #expect(throws: StateConflict.self) {
                try await writer.create(try TaskFixture.task("A"), by: TaskFixture.at("2026-01-01"))
            }
            try await check(changed: 0, "a refused write")
            let proposal = try TaskDraft(
                code: "P", title: "Đề xuất", deliverable: "Báo cáo", programme: "NQ57", orientation: 3,
                leadUnit: "01", coordinatingUnits: [], start: "2026-01-01", deadline: "2026-04-30"
            ).task(
                origin: .proposed, at: "2026-01-05T00:00:00.000Z", isKnownUnit: { _ in true },
                orientations: ["NQ57": [1, 3]], isKnownIndicator: { _ in false })
            _ = try await writer.create(proposal, by: TaskFixture.at("2026-01-05"))
            try await check(changed: 1, "a proposal")
            _ = try await writer.signOff("P", by: TaskFixture.at("2026-01-05"))
            try await check(changed: 0, "the proposal signed off: no delivery fact")
            _ = try await writer.adopt("P", by: TaskFixture.at("2026-01-06"))
            try await check(changed: 1, "the proposal adopted")
            _ = try await writer.cancel("C", reason: "Điều chỉnh", by: TaskFixture.at("2026-02-16"))
            try await check(changed: 1, "C cancelled")
        }
    }
}
