import Foundation
import MandateCore
import MandateStore
import Testing

/// A reporter's proposal and recommendation stay out of every public list until the unit's head
/// signs them off; the committee cannot adopt, nor the addressee answer, before.
@Suite struct SignOffStoreTests {
    @Test(arguments: TestDatabase.available)
    func whatAwaitsSignOffIsListedOnlyForTheUnitsAskedFor(database: TestDatabase) async throws {
        try await database.withStore { store in
            let today = CivilDate(iso: "2026-01-10")!
            try await store.tasks.save(TaskFixture.programme)
            _ = try await store.tasks.create(try TaskFixture.task(), by: TaskFixture.at("2026-01-01"))
            var proposal = try TaskFixture.task("P1", deadline: "2026-12-31")
            proposal.origin = .proposed
            _ = try await store.tasks.create(proposal, by: TaskFixture.at("2026-01-02"))
            func listed(_ units: Set<String>) async throws -> [String] {
                try await store.tasks.list(TaskQuery(unsignedUnits: units, today: today)).items.map(\.task.code)
                    .sorted()
            }
            #expect(try await listed([]) == ["T1"])
            #expect(try await listed(["48"]) == ["T1"])
            #expect(try await listed(["01"]) == ["P1", "T1"])
            // The totals count what is listed: all the tasks less the hidden proposals.
            for (units, total) in [([], 1), (["48"], 1), (["01"], 2), (["01", "48"], 2)] as [(Set<String>, Int)] {
                #expect(
                    try await store.tasks.list(TaskQuery(unsignedUnits: units, today: today, limit: 1)).total == total)
            }
            #expect(try await store.tasks.list(TaskQuery(search: "danh muc", today: today)).total == 1)
            #expect(try await store.tasks.get("P1")?.status(today: today) == .awaitingSignOff)
            await #expect(throws: StateConflict.self) {
                try await store.tasks.adopt("P1", by: TaskFixture.at("2026-01-03"))
            }
            await #expect(throws: StateConflict.self) {
                try await store.tasks.signOff("T1", by: TaskFixture.at("2026-01-03"))
            }

            let raised = try await store.tasks.raise(
                RecommendationInput(fromUnit: "01", toUnit: "BCD", title: "Hướng dẫn", body: "", due: "2026-04-01"),
                by: TaskFixture.at("2026-01-03"), signedOff: false, illustrative: false)
            #expect(try await store.tasks.unitsAwaitingSignOff() == ["01"])
            func recommendations(_ units: Set<String>) async throws -> Page<Recommendation> {
                try await store.tasks.recommendations(
                    unit: nil, unansweredOnly: false, unsignedUnits: units, limit: 10, offset: 0)
            }
            #expect(try await recommendations([]).total == 0)
            #expect(try await recommendations(["01"]).items.map(\.id) == [raised.id])
            #expect(try await store.tasks.escalation(today: today, limit: 10).unansweredRecommendations.isEmpty)
            await #expect(throws: StateConflict.self) {
                try await store.tasks.answer(raised.id, text: "Đã tiếp thu", by: TaskFixture.at("2026-01-04"))
            }

            let signed = try await store.tasks.signOff(recommendation: raised.id, by: TaskFixture.at("2026-01-05"))
            #expect(signed.signedOffAt == "2026-01-05T09:00:00.000Z" && signed.signedOffBy == "u-1")
            await #expect(throws: StateConflict.self) {
                try await store.tasks.signOff(recommendation: raised.id, by: TaskFixture.at("2026-01-06"))
            }
            _ = try await store.tasks.signOff("P1", by: TaskFixture.at("2026-01-05"))
            #expect(try await store.tasks.unitsAwaitingSignOff().isEmpty)
            #expect(try await listed([]) == ["P1", "T1"])
            #expect(try await recommendations([]).total == 1)
            #expect(
                try await store.tasks.escalation(today: today, limit: 10).unansweredRecommendations.map(\.id)
                    == [raised.id])
            #expect(try await store.tasks.get("P1")?.status(today: today) == .proposed)
            _ = try await store.tasks.adopt("P1", by: TaskFixture.at("2026-01-06"))
            _ = try await store.tasks.answer(raised.id, text: "Đã tiếp thu", by: TaskFixture.at("2026-01-06"))
            #expect(try await store.tasks.history(of: "P1").map(\.kind) == [.proposed, .signedOff, .adopted])
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRecommendationListPagesThroughEveryOne(database: TestDatabase) async throws {
        try await database.withStore { store in
            for index in 0..<5 {
                _ = try await store.tasks.raise(
                    RecommendationInput(
                        fromUnit: "01", toUnit: "BCD", title: "Đề nghị \(index)", body: "", due: "2026-04-01"),
                    by: TaskFixture.at("2026-01-0\(index + 1)"), signedOff: true, illustrative: false)
            }
            var seen: [String] = []
            for offset in stride(from: 0, to: 6, by: 2) {
                let page = try await store.tasks.recommendations(
                    unit: nil, unansweredOnly: false, unsignedUnits: [], limit: 2, offset: offset)
                #expect(page.total == 5)
                seen += page.items.map(\.title)
            }
            #expect(seen == (0..<5).map { "Đề nghị \($0)" })
        }
    }
}
