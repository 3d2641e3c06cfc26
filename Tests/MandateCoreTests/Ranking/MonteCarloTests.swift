import Testing

@testable import MandateCore

@Suite struct MonteCarloTests {
    typealias F = RankingFixtures

    /// A leads on X, B on Y, C trails on both; the pillars weigh the same.
    static let method = F.method(
        [
            F.pillar("PX", weight: 1, [F.component("X", alternatives: [.zScore, .rank])]),
            F.pillar("PY", weight: 1, [F.component("Y", alternatives: [.zScore, .rank])]),
        ], draws: 400)
    static let table = F.table([
        "A": ["X": 10, "Y": 4.9], "B": ["X": 5, "Y": 10], "C": ["X": 0, "Y": 0], "D": ["X": 10, "Y": 10],
    ])

    @Test func aUnitBestOnEverythingIsFirstInEveryDraw() throws {
        let result = try RankingEngine(method: Self.method).rank(Self.table)
        // D is best on both components under any weights and any (monotone) normalisation;
        // C is worst on both.
        #expect(result.unit("D")?.interval == RankInterval(low: 1, median: 1, high: 1))
        #expect(result.unit("C")?.interval == RankInterval(low: 4, median: 4, high: 4))
        // A and B are nearly even: perturbed weights and normalisations put each second and third.
        #expect(result.unit("A")?.interval?.low == 2 && result.unit("A")?.interval?.high == 3)
        #expect(result.unit("B")?.interval?.low == 2 && result.unit("B")?.interval?.high == 3)
        #expect(result.uncertainty?.draws == 400)
    }

    @Test func theSameSeedGivesTheSameIntervals() throws {
        let engine = try RankingEngine(method: Self.method)
        let first = try engine.rank(Self.table)
        #expect(try engine.rank(Self.table) == first)
        let other = try engine.rank(Self.table, uncertainty: .init(draws: 1, seed: 1))
        #expect(other.uncertainty?.seed == 1)
    }

    @Test func withoutPerturbationEveryDrawIsThePointRanking() throws {
        var method = Self.method
        for p in method.pillars.indices { method.pillars[p].components[0].alternatives = [] }
        let result = try RankingEngine(method: method).rank(Self.table, uncertainty: .init(draws: 50, weightSpread: 0))
        for unit in result.units {
            let rank = try #require(unit.rank)
            #expect(unit.interval == RankInterval(low: rank, median: rank, high: rank), "\(unit.unit)")
        }
        let none = try RankingEngine(method: method).rank(Self.table, uncertainty: .init(draws: 0))
        #expect(none.units.allSatisfy { $0.interval == nil } && none.uncertainty == nil)
    }
}

extension MonteCarloTests {
    @Test func drawsSplitAmongTasksGiveTheSameIntervals() async throws {
        let engine = try RankingEngine(method: Self.method)
        let alone = try engine.rank(Self.table, uncertainty: .init(draws: 157, seed: 3))
        for workers in [1, 2, 5] {
            #expect(
                try await engine.rank(Self.table, uncertainty: .init(draws: 157, seed: 3), workers: workers) == alone)
        }
    }
}

extension MonteCarloTests {
    @Test func chunksCoverEveryDrawOnceInOrder() {
        for (draws, workers) in [(1000, 2), (157, 5), (1, 4), (16, 1), (4001, 3)] {
            let chunks = MonteCarlo.chunks(draws: draws, workers: workers)
            #expect(chunks.first?.lowerBound == 0 && chunks.last?.upperBound == draws, "\(draws) \(workers)")
            #expect(zip(chunks, chunks.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            #expect(chunks.dropLast().allSatisfy { $0.count % 16 == 0 })
            #expect(chunks.count >= min(workers, draws / 16))
        }
    }
}

extension MonteCarloTests {
    /// Ranks kept in 16 bits (up to 65,535 ranked units) and in 32 give the same intervals.
    @Test func narrowAndWideRanksGiveTheSameIntervals() throws {
        let table = DrawPlanTests.table(seed: 11)
        let method = DrawPlanTests.method(missing: .reweight, aggregation: .arithmetic)
        let model = try ScoreModel(method: method, table: table, alternatives: true)
        let monteCarlo = MonteCarlo(model: model, settings: .init(draws: 137, seed: 5))
        #expect(monteCarlo.narrowRanks)
        let narrow = monteCarlo.intervals(as: UInt16.self)
        #expect(narrow.contains { $0 != nil } && narrow.contains { $0 == nil })
        #expect(narrow == monteCarlo.intervals(as: UInt32.self))
        #expect(narrow == monteCarlo.intervals())
    }

    @Test func moreThan65535UnitsKeepRanksIn32Bits() throws {
        let units = (0..<65_536).map { String(format: "U%05d", $0) }
        let rows = Dictionary(uniqueKeysWithValues: units.enumerated().map { ($1, ["X": Double($0 % 977)]) })
        let method = F.method([F.pillar("PX", weight: 1, [F.component("X", alternatives: [.rank])])], draws: 2)
        let model = try ScoreModel(method: method, table: F.table(rows, units: units), alternatives: true)
        #expect(!MonteCarlo(model: model, settings: .init(draws: 2)).narrowRanks)
        let fewer = try ScoreModel(
            method: method, table: F.table(rows.filter { $0.key != "U00000" }, units: units), alternatives: true)
        #expect(MonteCarlo(model: fewer, settings: .init(draws: 2)).narrowRanks)
    }
}
