import MandateCore
import Testing

@Suite struct LineageTests {
    // Tuyên Quang (08) took over Hà Giang (pre2025-02) and the former Tuyên Quang (pre2025-08).
    static let predecessors = ["pre2025-02", "pre2025-08"]

    /// Values each unit reported itself, as public figures.
    func own(_ values: [String: [String: Double]]) -> [String: [String: PublicFigure]] {
        values.mapValues { $0.mapValues { PublicFigure(value: $0, source: .own) } }
    }

    @Test func valuesOfFormerProvincesRebaseByTheRollupRule() {
        let values: [String: [String: Double]] = [
            "pre2025-02": ["2023": 10, "2024": 12],
            "pre2025-08": ["2023": 30, "2024": 28],
            "08": ["2025": 45],
        ]
        let sum = Lineage.series(unit: "08", predecessors: Self.predecessors, method: .sum, figures: own(values))
        #expect(
            sum == [
                SeriesPoint(period: "2023", value: 40, rebasedFrom: Self.predecessors),
                SeriesPoint(period: "2024", value: 40, rebasedFrom: Self.predecessors),
                SeriesPoint(period: "2025", value: 45),
            ])
        let mean = Lineage.series(unit: "08", predecessors: Self.predecessors, method: .mean, figures: own(values))
        #expect(mean.map(\.value) == [20, 20, 45])
        // Weighted by population: (10 × 900 + 30 × 100) ÷ 1000 = 12.
        let weights: [String: [String: Double]] = ["pre2025-02": ["2023": 900], "pre2025-08": ["2023": 100]]
        let weighted = Lineage.series(
            unit: "08", predecessors: Self.predecessors, method: .weightedMean, figures: own(values), weights: weights)
        #expect(weighted.first == SeriesPoint(period: "2023", value: 12, rebasedFrom: Self.predecessors))
        // A rule of none carries one predecessor over, and cannot combine two.
        #expect(Lineage.rebase(.none, [(value: 7, weight: nil)]) == 7)
        #expect(
            Lineage.series(unit: "08", predecessors: Self.predecessors, method: .none, figures: own(values)).map(
                \.period)
                == ["2025"])
    }

    @Test func theUnitsOwnValueWinsAndPeriodsRunInTimeOrder() {
        let values: [String: [String: Double]] = [
            "pre2025-02": ["202412": 1, "202506": 2],
            "08": ["202506": 9, "202507": 3],
        ]
        let series = Lineage.series(unit: "08", predecessors: ["pre2025-02"], method: .sum, figures: own(values))
        #expect(series.map(\.period) == ["202412", "202506", "202507"])
        #expect(series.map(\.value) == [1, 9, 3])
        #expect(series.map(\.rebasedFrom) == [["pre2025-02"], [], []])
    }
}

extension LineageTests {
    /// The series is of public figures: where the unit has a roll-up and no value of its own, the
    /// roll-up is its point, and its predecessors are re-based only where it has no figure at all.
    @Test func aSeriesRunsOnTheUnitsFiguresThenItsPredecessors() {
        let figures: [String: [String: PublicFigure]] = [
            "pre2025-02": ["2023": .init(value: 10, source: .own), "2024": .init(value: 12, source: .own)],
            "08": ["2024": .init(value: 50, source: .rollup), "2025": .init(value: 45, source: .own)],
        ]
        let series = Lineage.series(unit: "08", predecessors: ["pre2025-02"], method: .sum, figures: figures)
        #expect(
            series == [
                SeriesPoint(period: "2023", value: 10, rebasedFrom: ["pre2025-02"]),
                SeriesPoint(period: "2024", value: 50, source: .rollup),
                SeriesPoint(period: "2025", value: 45),
            ])
        #expect(series.map(\.source) == [.rebased, .rollup, .own])
    }
}
