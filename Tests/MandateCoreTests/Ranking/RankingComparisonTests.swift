import MandateCore
import Testing

/// What a ranking says of the period it compares with, which periods may be ranked, and how a
/// ranking computed at publication differs from the draft reviewed.
@Suite struct RankingComparisonTests {
    typealias F = RankingFixtures

    /// Government (G1, G2) and delivery (D1).
    static let method = F.method([
        F.pillar("GOV", weight: 40, [F.component("G1"), F.component("G2")]),
        F.pillar("DEL", weight: 60, [F.component("D1", direction: .lower)]),
    ])

    @Test func theResultNamesTheComponentsThePreviousPeriodLacks() throws {
        let engine = try RankingEngine(method: Self.method)
        let now = F.table(["A": ["G1": 1, "G2": 4, "D1": 2], "B": ["G1": 3, "G2": 2, "D1": 1]])
        // Only delivery before: every unit scored on it alone.
        let deliveryOnly = F.table(["A": ["D1": 0], "B": ["D1": 0]], period: "2024")
        let lacking = try engine.rank(now, previous: deliveryOnly)
        #expect(lacking.previousMissingComponents == ["G1", "G2"])
        #expect(lacking.units.allSatisfy { $0.previousScore == 100 && $0.previousRank == 1 })
        // G2 for one unit is enough for it to count as present.
        let partly = F.table(["A": ["G1": 1, "D1": 0], "B": ["G1": 2, "G2": 5, "D1": 3]], period: "2024")
        #expect(try engine.rank(now, previous: partly).previousMissingComponents == [])
        // A component without values now is not named, whatever the period before has.
        let withoutG2 = F.table(["A": ["G1": 1, "D1": 2], "B": ["G1": 3, "D1": 1]])
        #expect(try engine.rank(withoutG2, previous: deliveryOnly).previousMissingComponents == ["G1"])
        // Without a previous period there is nothing to say.
        #expect(try engine.rank(now).previousMissingComponents == nil)
        // The scores are those computed without the note.
        #expect(lacking.units.map(\.score) == (try engine.rank(now)).units.map(\.score))
    }

    static let today = CivilDate(year: 2026, month: 12, day: 5)!

    @Test func aPeriodThatHasNotBegunIsRefused() throws {
        try RankedPeriods.check(try Period("2026"), previous: try Period("2025"), today: Self.today)
        try RankedPeriods.check(try Period("2026Q4"), previous: nil, today: Self.today)
        try RankedPeriods.check(try Period("202612"), previous: nil, today: Self.today.adding(days: -4))
        let future = try #require(throws: ValidationFailure.self) {
            try RankedPeriods.check(try Period("2031"), previous: try Period("2030"), today: Self.today)
        }
        #expect(future.errors.map(\.column) == ["period"])
        #expect(future.errors.first?.reason == "2031 has not begun: it begins on 2031-01-01, after today (2026-12-05)")
        let nextMonth = try #require(throws: ValidationFailure.self) {
            try RankedPeriods.check(try Period("202701"), previous: nil, today: Self.today)
        }
        #expect(nextMonth.errors.map(\.column) == ["period"])
        let backwards = try #require(throws: ValidationFailure.self) {
            try RankedPeriods.check(try Period("2024"), previous: try Period("2025"), today: Self.today)
        }
        #expect(backwards.errors.map(\.column) == ["previousPeriod"])
    }

    @Test func aPublicationDiffersFromTheDraftReviewedWhenTheVersionInputsOrTargetsChanged() throws {
        let now = F.table(["A": ["G1": 1, "G2": 4, "D1": 2], "B": ["G1": 3, "G2": 2, "D1": 1]])
        var result = try RankingEngine(method: Self.method).rank(now)
        result.inputDigest = RankingTable.digest([now])
        let inputs = try #require(result.inputDigest)
        let methodDigest = PublishedRanking.digest(Self.method)
        let reviewed = ReviewedDraft(methodVersion: 1, inputsDigest: inputs, methodDigest: methodDigest)
        #expect(reviewed.changes(method: Self.method, result: result).isEmpty)
        // Nothing named, nothing checked.
        #expect(ReviewedDraft().changes(method: Self.method, result: result).isEmpty)

        var newer = Self.method
        newer.version = 2
        #expect(reviewed.changes(method: newer, result: result) == [.methodVersion(reviewed: 1, current: 2)])
        // Without the version, the method's digest tells the new version apart.
        let byDigest = ReviewedDraft(methodDigest: methodDigest)
        #expect(byDigest.changes(method: newer, result: result).map(\.field) == ["expectedMethodDigest"])

        var targeted = Self.method
        targeted.pillars[0].components[0].normalisation = .distanceToTarget(target: 3)
        let changes = reviewed.changes(method: targeted, result: result)
        #expect(changes == [.method(reviewed: methodDigest, current: PublishedRanking.digest(targeted))])

        var approved = result
        approved.inputDigest = String(repeating: "0", count: 64)
        let moved = reviewed.changes(method: Self.method, result: approved)
        #expect(moved == [.inputs(reviewed: inputs, current: String(repeating: "0", count: 64))])
        #expect(moved.map(\.field) == ["expectedInputsDigest"])
        #expect(moved.first?.reason.contains("nothing was published") == true)
    }
}
