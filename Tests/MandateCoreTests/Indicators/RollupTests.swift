import MandateCore
import Testing

@Suite struct RollupTests {
    // Three communes of a province: (value, population as the weight).
    static let communes: [(value: Double, weight: Double?)] = [(80, 1000), (50, 3000), (20, nil)]

    @Test func combinesByEachMethodAsComputedByHand() {
        #expect(Rollup.combine(.sum, [4, 6, 10]) == 20)
        #expect(Rollup.combine(.mean, [4, 6, 11]) == 7)
        // (80 × 1000 + 50 × 3000) ÷ (1000 + 3000) = 230,000 ÷ 4,000 = 57.5; the commune without a weight is left out.
        #expect(Rollup.combine(.weightedMean, Self.communes) == 57.5)
        #expect(Rollup.combine(.none, [1, 2]) == nil)
        #expect(Rollup.combine(.sum, [Double]()) == nil)
        #expect(Rollup.combine(.weightedMean, [(value: 5, weight: nil)]) == nil)
    }

    @Test func totalsUpdatedByDifferencesMatchARecomputation() {
        var totals = Self.communes.reduce(RollupTotals.zero) { $0 + RollupTotals(value: $1.value, weight: $1.weight) }
        // The first commune corrects 80 → 60; its weight stays 1000.
        totals = totals - RollupTotals(value: 80, weight: 1000) + RollupTotals(value: 60, weight: 1000)
        let recomputed: [(value: Double, weight: Double?)] = [(60, 1000), (50, 3000), (20, nil)]
        for method in RollupMethod.allCases {
            #expect(totals.value(method) == Rollup.combine(method, recomputed), "\(method)")
        }
        // (60 × 1000 + 50 × 3000) ÷ 4000 = 52.5; mean (60 + 50 + 20) ÷ 3 = 43.33…
        #expect(totals.value(.weightedMean) == 52.5)
        #expect(totals.value(.sum) == 130)
        // Withdrawing every value leaves nothing to combine.
        let empty =
            totals - RollupTotals(value: 60, weight: 1000) - RollupTotals(value: 50, weight: 3000)
            - RollupTotals(value: 20, weight: nil)
        #expect(empty.value(.sum) == nil && empty.count == 0)
    }

    @Test func onlyTheLowestReportingLevelRollsUp() {
        func indicator(_ kinds: [UnitKind]) -> Indicator {
            Indicator(
                code: "X", nameVi: "x", nameEn: "x", unitOfMeasure: "", valueType: .number, frequency: .yearly,
                appliesTo: kinds, rollup: .sum)
        }
        #expect(indicator([.province, .commune]).rollupKinds == [.commune])
        #expect(indicator([.province, .ministry]).rollupKinds == [.province, .ministry])
        #expect(indicator([.province]).rollupKinds == [.province])
    }
}
