import Testing

@testable import MandateCore

/// The Monte Carlo's inner ranking (radix sorts on packed keys) against the plain one.
@Suite struct InnerRankingTests {
    static func inner(_ scores: [Double]) -> [Int] {
        let units = (0..<scores.count).map { Int32($0) }
        var ranks = [Int32](repeating: 0, count: scores.count)
        var scratch = [UInt64](repeating: 0, count: 2 * scores.count)
        var counts = [Int32](repeating: 0, count: CompetitionRanking.countsNeeded)
        scores.withUnsafeBufferPointer { scores in
            units.withUnsafeBufferPointer { units in
                ranks.withUnsafeMutableBufferPointer { ranks in
                    scratch.withUnsafeMutableBufferPointer { scratch in
                        counts.withUnsafeMutableBufferPointer { counts in
                            CompetitionRanking.rank(scores, units: units, into: ranks, scratch: scratch, counts: counts)
                        }
                    }
                }
            }
        }
        return ranks.map(Int.init)
    }

    @Test func agreesWithThePlainRankingOnSpreadTiedAndCrowdedScores() {
        var generator = SplitMix64(seed: 11)
        let spread = (0..<3000).map { _ in 100 * generator.nextUniform() }
        // Few distinct values: many ties.
        let tied = (0..<3000).map { _ in Double(Int(generator.nextUniform() * 7)) * 12.5 }
        // Nearly equal, distinct scores in one narrow band: a crowded bucket, the radix path.
        let crowded = (0..<3000).map { _ in 50 + generator.nextUniform() * 1e-6 }
        // A narrow band far from one other score: the top bits cannot tell the band apart, the
        // fall-back sort does.
        let banded = crowded + [0.5]
        // Bell-shaped, as real scores are: crowded in the middle, sparse at the ends.
        let bell = (0..<3321).map { _ in
            50 + 10 * (generator.nextUniform() + generator.nextUniform() + generator.nextUniform() - 1.5)
        }
        // Scores within 10⁻⁹ of each other tie.
        let close = [70, 70 + 3e-10, 70 - 2e-10, 69.999999997, 100, 0]
        for scores in [spread, tied, crowded, banded, bell, close, [42], [0, 100], [-5, 50, 50, -5, 0]] {
            #expect(Self.inner(scores) == CompetitionRanking.ranks(scores).map { $0 ?? 0 })
        }
        #expect(Self.inner(close) == [2, 2, 2, 5, 1, 6])
    }

    @Test func averageRanksMatchTheirDefinition() {
        // Ascending ranks 1, 2.5, 2.5, 4, 5, 6, 6, 6 → -0.0 and 0.0 are equal values.
        let values = [-3, 0.0, -0.0, 1e-300, 7, 9, 9, 9]
        #expect(Normalisation.averageRanks(values, ascending: true) == [1, 2.5, 2.5, 4, 5, 7, 7, 7])
        #expect(Normalisation.averageRanks(values, ascending: false) == [8, 6.5, 6.5, 5, 4, 2, 2, 2])
    }

    @Test func averageRanksAgreeWithTheirDefinitionOnSpreadTiedAndCrowdedValues() {
        var generator = SplitMix64(seed: 5)
        let spread = (0..<1500).map { _ in 1e6 * (generator.nextUniform() - 0.3) }
        let tied = (0..<1500).map { _ in Double(Int(generator.nextUniform() * 9)) - 4 }
        // A narrow band and one far value: the top bits cannot tell the band apart.
        let banded = (0..<1500).map { _ in 50 + generator.nextUniform() * 1e-9 } + [-1e300]
        for values in [spread, tied, banded] {
            // By definition: 1 + how many are smaller, plus half of how many others are equal.
            let expected = values.map { value in
                let smaller = values.count(where: { $0 < value })
                let equal = values.count(where: { $0 == value })
                return Double(smaller) + Double(equal + 1) / 2
            }
            #expect(Normalisation.averageRanks(values, ascending: true) == expected)
        }
    }

    @Test func theInnerKeyIsTheKeyForEveryScoreItTakes() {
        var generator = SplitMix64(seed: 3)
        // Boundary cases, their neighbours, and the ends of the range.
        var scores = [0, 100, 1e-9, 0.5e-9, 99.9999999995, 42.0000000005, 1e-300, 0x1p-30]
        for _ in 0..<20_000 {
            let score = 100 * generator.nextUniform()
            // A whole number of 10⁻⁹ puts score × 10⁹ + 0.5 halfway between two keys.
            let whole = (score * 1e9).rounded(.down) / 1e9
            let half = ((score * 1e9).rounded(.down) + 0.5) / 1e9
            scores += [score, whole, whole.nextUp, whole.nextDown, half, half.nextUp, half.nextDown]
        }
        var largest: UInt64 = 0
        for score in scores {
            #expect(CompetitionRanking.innerKey(score, largest: &largest) == CompetitionRanking.key(score), "\(score)")
        }
        #expect(CompetitionRanking.innerKeysHold(largest))
        for outside in [-1, -1e-9, 3e6, .nan, .infinity] {
            var largest: UInt64 = 0
            _ = CompetitionRanking.innerKey(outside, largest: &largest)
            #expect(!CompetitionRanking.innerKeysHold(largest), "\(outside)")
        }
    }
}
