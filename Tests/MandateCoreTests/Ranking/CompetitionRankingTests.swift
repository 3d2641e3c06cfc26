import MandateCore
import Testing

@Suite struct CompetitionRankingTests {
    @Test func tiesShareARankAndTheNextRankSkips() {
        #expect(CompetitionRanking.ranks([70, 90, 80, 80, nil]) == [4, 1, 2, 2, nil])
        #expect(CompetitionRanking.ranks([5, 5, 5]) == [1, 1, 1])
    }

    @Test func scoresWithinTheResolutionAreTied() {
        // 4 × 10⁻¹⁰ apart: the same score to 10⁻⁹. 2 × 10⁻⁹ apart: different.
        #expect(CompetitionRanking.ranks([80, 80 + 4e-10, 79]) == [1, 1, 3])
        #expect(CompetitionRanking.ranks([80, 80 + 2e-9, 79]) == [2, 1, 3])
        #expect(CompetitionRanking.key(12.3456789014) == 12_345_678_901)
        #expect(CompetitionRanking.key(12.3456789016) == 12_345_678_902)
    }
}
