import Foundation
import MandateCore
import MandateStore
import Testing

@Suite struct RankingStoreTests {
    static func method(version: Int = 1, weight: Double = 1) -> RankingMethod {
        RankingMethod(
            id: "test-method", version: version, nameVi: "Thử", nameEn: "Test", unitKind: .province,
            pillars: [
                RankingMethod.Pillar(
                    code: "P", nameVi: "p", nameEn: "p", weight: weight,
                    components: [RankingMethod.Component(code: "X", source: .indicator("X"))])
            ], uncertainty: .init(draws: 20))
    }

    static func computed(_ method: RankingMethod, _ values: [String: Double]) throws -> (RankingResult, String) {
        let table = RankingTable(period: "2025", values: values.mapValues { ["X": $0] })
        return (try RankingEngine(method: method).rank(table), RankingTable.canonicalCSV([table]))
    }

    @Test(arguments: TestDatabase.available)
    func aMethodVersionNeverChanges(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.rankings.saveMethod(Self.method(), at: "2026-01-01T00:00:00.000Z")
            // The same document again changes nothing; a different one under version 1 is refused.
            try await store.rankings.saveMethod(Self.method(), at: "2026-01-02T00:00:00.000Z")
            let failure = try await #require(throws: ValidationFailure.self) {
                try await store.rankings.saveMethod(Self.method(weight: 2), at: "2026-01-02T00:00:00.000Z")
            }
            #expect(failure.errors.first?.column == "version")
            try await store.rankings.saveMethod(Self.method(version: 2, weight: 2), at: "2026-01-03T00:00:00.000Z")
            #expect(try await store.rankings.methods().map(\.version) == [2])
            #expect(try await store.rankings.method(id: "test-method", version: 1) == Self.method())
            #expect(try await store.rankings.method(id: "test-method", version: nil)?.pillars[0].weight == 2)
            #expect(try await store.rankings.method(id: "nothing", version: nil) == nil)
        }
    }

    @Test(arguments: TestDatabase.available)
    func republishingMakesANewVersionAndBothAreLogged(database: TestDatabase) async throws {
        try await database.withStore { store in
            let method = Self.method()
            try await store.rankings.saveMethod(method, at: "2026-01-01T00:00:00.000Z")
            let (first, firstInputs) = try Self.computed(method, ["01": 3, "79": 5])
            let one = try await store.rankings.publish(
                method: method, result: first, inputsCSV: firstInputs, by: nil, at: "2026-02-01T00:00:00.000Z")
            let (second, secondInputs) = try Self.computed(method, ["01": 6, "79": 5])
            let two = try await store.rankings.publish(
                method: method, result: second, inputsCSV: secondInputs, by: nil, at: "2026-03-01T00:00:00.000Z")
            #expect(one.version == 1 && two.version == 2)
            #expect(one.inputDigest == RankingTable.digest(text: firstInputs))
            #expect(one.result.inputDigest == one.inputDigest)

            // The old version stays readable, exactly as published; the latest is the default.
            #expect(try await store.rankings.published(methodId: method.id, period: "2025", version: 1) == one)
            #expect(try await store.rankings.published(methodId: method.id, period: "2025", version: nil) == two)
            #expect(
                try await store.rankings.published(methodId: method.id, period: "2025", version: nil)?.result.units
                    .first?.unit == "01")
            #expect(try await store.rankings.inputs(methodId: method.id, period: "2025", version: 1) == firstInputs)
            #expect(try await store.rankings.publications().map(\.version) == [2, 1])
            // The latest version supersedes the first; another period has none.
            let latest = try #require(try await store.rankings.latestPublication(methodId: method.id, period: "2025"))
            #expect(latest.version == 2 && latest.publishedAt == "2026-03-01T00:00:00.000Z")
            #expect(latest.inputDigest == two.inputDigest && latest.methodVersion == 1 && latest.unitKind == .province)
            #expect(try await store.rankings.latestPublication(methodId: method.id, period: "2024") == nil)

            // Each version's fact is in the log, and the facts derived afresh are those logged.
            let facts = try await store.rankings.facts()
            #expect(
                facts.map(\.key) == ["published-ranking/test-method/2025/1", "published-ranking/test-method/2025/2"])
            for fact in facts {
                let entry = try #require(try await store.log.entry(key: fact.key))
                #expect(PublishedFact(canonicalBytes: entry.data) == fact)
            }
            #expect(facts[0].fields["inputDigest"] == one.inputDigest)
            #expect(facts[0].fields["resultDigest"] == PublishedRanking.digest(one.result))
        }
    }
}
