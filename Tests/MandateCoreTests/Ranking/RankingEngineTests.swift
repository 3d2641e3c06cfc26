import MandateCore
import Testing

@Suite struct RankingEngineTests {
    typealias F = RankingFixtures

    /// Digital government (40): G1, higher is better. Delivery (60): D1, lower is better.
    static let twoPillars = F.method([
        F.pillar("GOV", weight: 40, [F.component("G1")]),
        F.pillar("DEL", weight: 60, [F.component("D1", direction: .lower)]),
    ])

    @Test func weightedMeanOfNormalisedPillarsGivesScoreAndRank() throws {
        // G1 min-max: A 0, B 50, C 100. D1 (lower) min-max over 1…3: A 100, B 0, C 50.
        // A = 0.4 × 0 + 0.6 × 100 = 60; B = 0.4 × 50 + 0 = 20; C = 0.4 × 100 + 0.6 × 50 = 70.
        let table = F.table(["A": ["G1": 0, "D1": 1], "B": ["G1": 5, "D1": 3], "C": ["G1": 10, "D1": 2]])
        let result = try RankingEngine(method: Self.twoPillars).rank(table)
        #expect(result.units.map(\.unit) == ["C", "A", "B"])
        #expect(result.units.map(\.rank) == [1, 2, 3])
        let scores = result.units.map { $0.score ?? -1 }
        #expect(zip(scores, [70, 60, 20]).allSatisfy { abs($0 - $1) < 1e-12 })
        let c = try #require(result.unit("C"))
        #expect(c.pillar("GOV") == 100)
        #expect(c.pillar("DEL") == 50)
        #expect(result.methodId == "test" && result.methodVersion == 1 && result.period == "2025")
    }

    @Test func equalScoresShareARank() throws {
        let method = F.method([F.pillar("P", weight: 1, [F.component("X", .goalposts(min: 0, max: 100))])])
        let table = F.table(["A": ["X": 90], "B": ["X": 80], "C": ["X": 80], "D": ["X": 70]])
        let result = try RankingEngine(method: method).rank(table)
        #expect(result.units.map(\.rank) == [1, 2, 2, 4])
        #expect(result.units.map(\.unit) == ["A", "B", "C", "D"])
    }

    /// X (weight 1) is missing for C; Y (weight 3) is present for all; D has no value at all.
    static func missing(_ policy: MissingDataPolicy) -> RankingMethod {
        F.method(
            [F.pillar("P", weight: 1, [F.component("X", weight: 1), F.component("Y", weight: 3)])],
            missingData: policy)
    }
    static let gappy = F.table(
        ["A": ["X": 0, "Y": 0], "B": ["X": 10, "Y": 10], "C": ["Y": 10]], units: ["D"])

    @Test func missingComponentsAreReweightedImputedOrZero() throws {
        // X: A 0, B 100; Y: A 0, B 100, C 100.
        let reweight = try RankingEngine(method: Self.missing(.reweight)).rank(Self.gappy)
        #expect(reweight.unit("C")?.score == 100)
        #expect(reweight.unit("C")?.rank == 1 && reweight.unit("B")?.rank == 1)
        // Group mean: C's X is the mean of 0 and 100, (1 × 50 + 3 × 100) ÷ 4 = 87.5.
        let mean = try RankingEngine(method: Self.missing(.groupMean)).rank(Self.gappy)
        #expect(mean.unit("C")?.score == 87.5)
        #expect(mean.unit("C")?.rank == 2)
        // Zero: (1 × 0 + 3 × 100) ÷ 4 = 75.
        let zero = try RankingEngine(method: Self.missing(.zero)).rank(Self.gappy)
        #expect(zero.unit("C")?.score == 75)
        for result in [reweight, mean, zero] {
            let d = try #require(result.unit("D"))
            #expect(d.score == nil && d.rank == nil && d.pillar("P") == nil)
            #expect(result.units.last?.unit == "D")
            #expect(result.unit("A")?.rank == 3)
        }
    }

    @Test func aPillarWithoutDataIsLeftOutOfTheScore() throws {
        // A has no D1: its score is its government pillar alone.
        let table = F.table(["A": ["G1": 10], "B": ["G1": 0, "D1": 1], "C": ["G1": 5, "D1": 2]])
        let result = try RankingEngine(method: Self.twoPillars).rank(table)
        let a = try #require(result.unit("A"))
        #expect(a.score == 100 && a.pillar("DEL") == nil && a.pillar("GOV") == 100)
        // B: 0.4 × 0 + 0.6 × 100 = 60. C: 0.4 × 50 + 0.6 × 0 = 20.
        #expect(abs((result.unit("B")?.score ?? 0) - 60) < 1e-12)
        #expect(result.units.map(\.unit) == ["A", "B", "C"])
    }

    @Test func geometricMeanPunishesAWeakComponent() throws {
        let components = [
            F.component("X", .goalposts(min: 0, max: 100)), F.component("Y", .goalposts(min: 0, max: 100)),
        ]
        let table = F.table(["A": ["X": 25, "Y": 100], "B": ["X": 0, "Y": 100], "C": ["X": 55, "Y": 55]])
        let geometric = try RankingEngine(
            method: F.method([F.pillar("P", weight: 1, components)], aggregation: .geometric)
        ).rank(table)
        // √(25 × 100) = 50; a 0 counts as 1: √(1 × 100) = 10; √(55 × 55) = 55.
        #expect(abs((geometric.unit("A")?.score ?? 0) - 50) < 1e-9)
        #expect(abs((geometric.unit("B")?.score ?? 0) - 10) < 1e-9)
        #expect(abs((geometric.unit("C")?.score ?? 0) - 55) < 1e-9)
        #expect(geometric.units.map(\.unit) == ["C", "A", "B"])
        let arithmetic = try RankingEngine(method: F.method([F.pillar("P", weight: 1, components)])).rank(table)
        // 62.5, 50, 55: the arithmetic mean puts A first.
        #expect(arithmetic.units.map(\.unit) == ["A", "C", "B"])
    }

    @Test func changeSincePreviousPeriodAndMostImproved() throws {
        let method = F.method([F.pillar("P", weight: 1, [F.component("X", .goalposts(min: 0, max: 100))])])
        let before = F.table(["A": ["X": 50], "B": ["X": 60], "C": ["X": 70], "E": ["X": 10]], period: "2024")
        let now = F.table(["A": ["X": 80], "B": ["X": 65], "C": ["X": 75], "N": ["X": 90]])
        let result = try RankingEngine(method: method).rank(now, previous: before)
        #expect(result.previousPeriod == "2024")
        let a = try #require(result.unit("A"))
        // A: 50 (rank 3 of 4) → 80 (rank 2): +30, up one place.
        #expect(a.previousScore == 50 && a.previousRank == 3 && a.scoreChange == 30 && a.rankChange == 1)
        let b = try #require(result.unit("B"))
        // B: 60 (2) → 65 (4): +5, down two. C: 70 (1) → 75 (3): +5, down two.
        #expect(b.scoreChange == 5 && b.rankChange == -2)
        // N is new: no change. Most improved: A (+30), then B and C tied (+5).
        #expect(result.unit("N")?.scoreChange == nil && result.unit("N")?.improvementRank == nil)
        #expect(result.mostImproved.map(\.unit) == ["A", "B", "C"])
        #expect(result.mostImproved.map(\.improvementRank) == [1, 2, 2])
    }

    @Test func aDistanceToTargetWithoutATargetIsRefused() throws {
        let method = F.method([F.pillar("P", weight: 1, [F.component("X", .distanceToTarget(target: nil))])])
        let table = F.table(["A": ["X": 1]])
        let failure = try #require(throws: ValidationFailure.self) { try RankingEngine(method: method).rank(table) }
        #expect(failure.errors.map(\.column) == ["pillars[0].components[0].normalisation.target"])
        // Resolved from the indicator's target for the year, or the next one set.
        let indicator = Indicator(
            code: "X", nameVi: "x", nameEn: "x", unitOfMeasure: "%", valueType: .percent, frequency: .yearly,
            appliesTo: [.province], rollup: .mean,
            targets: [IndicatorTarget(year: 2026, value: 80), IndicatorTarget(year: 2030, value: 100)])
        let resolved = method.resolvingTargets(year: 2025, indicators: ["X": indicator])
        #expect(resolved.components[0].normalisation == .distanceToTarget(target: 80))
        #expect(try RankingEngine(method: resolved).rank(F.table(["A": ["X": 40]])).unit("A")?.score == 50)
        #expect(
            method.resolvingTargets(year: 2030, indicators: ["X": indicator]).components[0].normalisation
                == .distanceToTarget(target: 100))
    }

    @Test func theDigestCoversTheInputsInCanonicalForm() {
        let table = F.table(["02": ["X": 1.5, "Y": 3], "01": ["X": 2]], units: ["03"])
        #expect(
            RankingTable.canonicalCSV([table])
                == "indicator,unit,period,value\nX,01,2025,2\nX,02,2025,1.5\nY,02,2025,3\n")
        let changed = F.table(["02": ["X": 1.5, "Y": 3.0001], "01": ["X": 2]])
        #expect(RankingTable.digest([table]) != RankingTable.digest([changed]))
        #expect(RankingTable.digest([table]).count == 64)
    }
}
