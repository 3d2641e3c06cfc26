import MandateCore
import Testing

@Suite struct LineageTests {
    // Tuyên Quang (08) took over Hà Giang (pre2025-02) and the former Tuyên Quang (pre2025-08).
    static let predecessors = ["pre2025-02", "pre2025-08"]

    @Test func valuesOfFormerProvincesRebaseByTheRollupRule() {
        let values: [String: [String: Double]] = [
            "pre2025-02": ["2023": 10, "2024": 12],
            "pre2025-08": ["2023": 30, "2024": 28],
            "08": ["2025": 45],
        ]
        let sum = Lineage.series(unit: "08", predecessors: Self.predecessors, method: .sum, values: values)
        #expect(
            sum == [
                SeriesPoint(period: "2023", value: 40, rebasedFrom: Self.predecessors),
                SeriesPoint(period: "2024", value: 40, rebasedFrom: Self.predecessors),
                SeriesPoint(period: "2025", value: 45),
            ])
        let mean = Lineage.series(unit: "08", predecessors: Self.predecessors, method: .mean, values: values)
        #expect(mean.map(\.value) == [20, 20, 45])
        // Weighted by population: (10 × 900 + 30 × 100) ÷ 1000 = 12.
        let weights: [String: [String: Double]] = ["pre2025-02": ["2023": 900], "pre2025-08": ["2023": 100]]
        let weighted = Lineage.series(
            unit: "08", predecessors: Self.predecessors, method: .weightedMean, values: values, weights: weights)
        #expect(weighted.first == SeriesPoint(period: "2023", value: 12, rebasedFrom: Self.predecessors))
        // A rule of none carries one predecessor over, and cannot combine two.
        #expect(Lineage.rebase(.none, [(value: 7, weight: nil)]) == 7)
        #expect(
            Lineage.series(unit: "08", predecessors: Self.predecessors, method: .none, values: values).map(\.period)
                == ["2025"])
    }

    @Test func theUnitsOwnValueWinsAndPeriodsRunInTimeOrder() {
        let values: [String: [String: Double]] = [
            "pre2025-02": ["202412": 1, "202506": 2],
            "08": ["202506": 9, "202507": 3],
        ]
        let series = Lineage.series(unit: "08", predecessors: ["pre2025-02"], method: .sum, values: values)
        #expect(series.map(\.period) == ["202412", "202506", "202507"])
        #expect(series.map(\.value) == [1, 9, 3])
        #expect(series.map(\.rebasedFrom) == [["pre2025-02"], [], []])
    }
}
