import Foundation
import Testing

@testable import MandateCore

/// The draws' scoring by groups of units lacking the same components gives the scores of the
/// general scoring, under every missing-data policy and both aggregations.
@Suite struct DrawPlanTests {
    typealias F = RankingFixtures

    /// 300 units, 3 pillars of 4, 5 and 7 components; each value missing with probability 0.15,
    /// one component missing for everyone, and some units with no value at all.
    static func table(seed: UInt64) -> RankingTable {
        var generator = SplitMix64(seed: seed)
        var rows: [String: [String: Double]] = [:]
        for unit in 0..<300 {
            var row: [String: Double] = [:]
            for component in 0..<16 where component != 9 && generator.nextUniform() >= 0.15 && unit % 50 != 7 {
                // Whole numbers from 1 to 20: many ties.
                row["C\(component)"] = 1 + Double(Int(generator.nextUniform() * 20))
            }
            rows[String(format: "U%03d", unit)] = row
        }
        return F.table(rows, units: (0..<300).map { String(format: "U%03d", $0) })
    }

    static func method(missing: MissingDataPolicy, aggregation: Aggregation) -> RankingMethod {
        var next = 0
        func components(_ count: Int) -> [RankingMethod.Component] {
            (0..<count).map { _ in
                defer { next += 1 }
                return F.component("C\(next)", weight: Double(1 + next % 3), alternatives: [.zScore, .rank])
            }
        }
        return F.method(
            [
                F.pillar("A", weight: 0.4, components(4)), F.pillar("B", weight: 0.35, components(5)),
                F.pillar("C", weight: 0.25, components(7)),
            ], aggregation: aggregation, missingData: missing, draws: 10)
    }

    @Test(arguments: MissingDataPolicy.allCases, [Aggregation.arithmetic, .geometric])
    func groupsScoreAsTheGeneralScoring(missing: MissingDataPolicy, aggregation: Aggregation) throws {
        let model = try ScoreModel(
            method: Self.method(missing: missing, aggregation: aggregation), table: Self.table(seed: 5),
            alternatives: true)
        // Every scored unit has some component of every pillar in this table.
        let plan = try #require(ScoreModel.DrawPlan(model))
        if missing == .reweight { #expect(plan.largestGroupCount > 1) }
        var generator = SplitMix64(seed: 9)
        let draws = (0..<20).map { _ in
            ScoreModel.DrawSetting(
                pillarWeights: model.pillarWeights.map { $0 * (0.75 + 0.5 * generator.nextUniform()) },
                componentWeights: model.componentWeights.map { $0 * (0.75 + 0.5 * generator.nextUniform()) },
                options: model.optionCounts.map { min($0 - 1, Int(generator.nextUniform() * Double($0))) })
        }
        // Tiles of 64 units: the 300 units take four whole tiles and a part of one.
        var tile = [Double](repeating: 0, count: 64)
        var scores = [Double](repeating: 0, count: draws.count * model.unitCount)
        tile.withUnsafeMutableBufferPointer { tile in
            scores.withUnsafeMutableBufferPointer { scores in
                model.evaluate(draws, plan: plan, tile: tile, scores: scores)
            }
        }
        for (d, draw) in draws.enumerated() {
            var buffers = ScoreModel.Buffers(unitCount: model.unitCount)
            var expected = [Double](repeating: 0, count: model.unitCount)
            model.evaluate(
                pillarWeights: draw.pillarWeights, componentWeights: draw.componentWeights, options: draw.options,
                buffers: &buffers, scores: &expected)
            #expect(expected.contains { $0.isNaN } && expected.contains { !$0.isNaN })
            let got = scores[d * model.unitCount..<(d + 1) * model.unitCount]
            for (unit, (want, got)) in zip(expected, got).enumerated() {
                #expect(want.isNaN == got.isNaN, "draw \(d), unit \(unit)")
                if !want.isNaN {
                    #expect(abs(want - got) <= 1e-12 * max(1, abs(want)), "draw \(d), unit \(unit): \(want) \(got)")
                }
            }
        }
    }

    @Test func aUnitMissingAWholePillarLeavesThePlanOut() throws {
        let table = F.table(["A": ["X": 1, "Y": 2], "B": ["X": 3], "C": ["X": 2, "Y": 1]])
        let method = F.method([
            F.pillar("PX", weight: 1, [F.component("X")]), F.pillar("PY", weight: 1, [F.component("Y")]),
        ])
        let model = try ScoreModel(method: method, table: table, alternatives: true)
        #expect(ScoreModel.DrawPlan(model) == nil)
        let whole = F.table(["A": ["X": 1, "Y": 2], "B": ["X": 3, "Y": 0], "C": ["X": 2, "Y": 1]])
        #expect(ScoreModel.DrawPlan(try ScoreModel(method: method, table: whole, alternatives: true)) != nil)
    }
}
