import MandateCore
import Testing

@Suite struct NormalisationTests {
    @Test func minMaxMapsTheLowestToZeroAndTheHighestToAHundred() {
        #expect(Normalisation.minMax.scores([2, 4, 10], direction: .higher) == [0, 25, 100])
        // Lower is better: the lowest value is the best.
        #expect(Normalisation.minMax.scores([2, 4, 10], direction: .lower) == [100, 75, 0])
        // Nothing tells equal values apart: each is as good as the best.
        #expect(Normalisation.minMax.scores([3, 3], direction: .higher) == [100, 100])
    }

    @Test func zScoreIsFiftyPlusTenStandardScoresClipped() {
        // Mean 2, population standard deviation √(2/3): z = ∓√1.5.
        let scores = Normalisation.zScore.scores([1, 2, 3], direction: .higher)
        let offset = 10 * 1.5.squareRoot()
        #expect(abs(scores[0] - (50 - offset)) < 1e-12)
        #expect(scores[1] == 50)
        #expect(abs(scores[2] - (50 + offset)) < 1e-12)
        #expect(Normalisation.zScore.scores([1, 2, 3], direction: .lower)[0] == scores[2])
        // 1 outlier among 99 equal values is 9.9 standard deviations out: clipped to 100.
        let outlier = Normalisation.zScore.scores(Array(repeating: 0, count: 99) + [1], direction: .higher)
        #expect(outlier.last == 100)
        // Equal values (whose computed mean may not be exactly the value) are all 50.
        #expect(Normalisation.zScore.scores([0.1, 0.1, 0.1], direction: .higher) == [50, 50, 50])
    }

    @Test func distanceToTargetIsTheShareOfTheTargetReached() {
        let higher = Normalisation.distanceToTarget(target: 80)
        #expect(higher.scores([40, 80, 100, -5], direction: .higher) == [50, 100, 100, 0])
        // Lower is better with target 2: at or under it is 100; twice it is 50.
        let lower = Normalisation.distanceToTarget(target: 2)
        #expect(lower.scores([1, 2, 4], direction: .lower) == [100, 100, 50])
        // The input's target is used when the method names none.
        #expect(Normalisation.distanceToTarget(target: nil).scores([30], direction: .higher, target: 60) == [50])
    }

    @Test func goalpostsAreFixedAndClipped() {
        let posts = Normalisation.goalposts(min: 0, max: 1)
        #expect(posts.scores([-0.5, 0.25, 2], direction: .higher) == [0, 25, 100])
        #expect(posts.scores([-0.5, 0.25, 2], direction: .lower) == [100, 75, 0])
    }

    @Test func rankIsThePercentileRankWithTiesAveraged() {
        // Ascending ranks 1, 2.5, 2.5, 4 of 4: 100 × (r − 1) ÷ 3.
        #expect(Normalisation.rank.scores([10, 20, 20, 30], direction: .higher) == [0, 50, 50, 100])
        #expect(Normalisation.rank.scores([10, 20, 20, 30], direction: .lower) == [100, 50, 50, 0])
        #expect(Normalisation.rank.scores([7], direction: .higher) == [100])
    }
}
