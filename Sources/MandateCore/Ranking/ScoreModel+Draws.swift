import CMandateKernels
import Foundation

extension ScoreModel {
    /// What the Monte Carlo's draws need beyond the model where every pillar weighs in for every
    /// scored unit: the units grouped, pillar by pillar, by which of the pillar's components they
    /// lack. A unit's pillar mean divides by the pillar's weight less the weights it lacks, which
    /// is the same for every unit of a group; so a draw divides once per group, not per unit.
    struct DrawPlan: Sendable {
        /// Pillar-major: each unit's group in the pillar (0: lacks nothing).
        let groups: [Int32]
        /// Per pillar, per group: the components its units lack, in component order.
        let lacking: [[[Int]]]
        /// The most groups any pillar has.
        let largestGroupCount: Int

        /// The plan for `model`; nil where some scored unit misses a whole pillar (the pillar
        /// then drops out of its mean, which the general `evaluate` handles) or a pillar has more
        /// than 64 components.
        init?(_ model: ScoreModel) {
            guard model.everyPillarWeighs, model.pillarComponents.allSatisfy({ $0.count <= 64 }) else { return nil }
            let count = model.unitCount
            var groups = [Int32](repeating: 0, count: model.pillarComponents.count * count)
            var lacking: [[[Int]]] = []
            var masks = [UInt64](repeating: 0, count: count)
            for (p, components) in model.pillarComponents.enumerated() {
                masks.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
                for c in components where !model.dropped[c] {
                    for unit in model.missing[c] { masks[Int(unit)] |= 1 << UInt64(c - components.lowerBound) }
                }
                var numbers: [UInt64: Int32] = [0: 0]
                var pillarLacking: [[Int]] = [[]]
                for unit in 0..<count where masks[unit] != 0 {
                    let mask = masks[unit]
                    if let number = numbers[mask] {
                        groups[p * count + unit] = number
                        continue
                    }
                    let number = Int32(pillarLacking.count)
                    numbers[mask] = number
                    groups[p * count + unit] = number
                    pillarLacking.append(components.filter { mask & (1 << UInt64($0 - components.lowerBound)) != 0 })
                }
                lacking.append(pillarLacking)
            }
            self.groups = groups
            self.lacking = lacking
            largestGroupCount = lacking.map(\.count).max() ?? 1
        }
    }

    /// One draw: the weights and each component's choice of option.
    struct DrawSetting: Sendable {
        var pillarWeights: [Double]
        var componentWeights: [Double]
        var options: [Int]
    }

    /// Every unit's score in each of `draws`, as `evaluate` gives it, for a model with a
    /// `DrawPlan`, written draw by draw into `scores` (`unitCount` each): each pillar's weighted sum
    /// is scaled by its group's share of the overall mean (the pillar's weight over the unit's
    /// weight in the pillar and the overall weight), one division per group and draw, and added
    /// straight into the scores.
    ///
    /// The units go a tile at a time (`tile.count` units, the tile's weighted sums held in `tile`),
    /// every draw scored over a tile before the next: a tile's columns stay in the core's cache
    /// for all the draws, where whole columns would be read from memory again for each draw.
    func evaluate(
        _ draws: [DrawSetting], plan: DrawPlan, tile: UnsafeMutableBufferPointer<Double>,
        scores: UnsafeMutableBufferPointer<Double>
    ) {
        let count = unitCount
        precondition(scores.count >= draws.count * count && tile.count > 0)
        terms.withUnsafeBufferPointer { terms in
            plan.groups.withUnsafeBufferPointer { groups in
                // Per draw and pillar: the chosen columns, and each group's factor.
                var chosen: [[[(weight: Double, column: UnsafePointer<Double>)]]] = []
                var factors: [[[Double]]] = []
                var scored: [Bool] = []
                for draw in draws {
                    let overallWeight = draw.pillarWeights.reduce(0, +)
                    scored.append(overallWeight > 0)
                    var drawChosen: [[(weight: Double, column: UnsafePointer<Double>)]] = []
                    var drawFactors: [[Double]] = []
                    for (p, components) in pillarComponents.enumerated() {
                        let (columns, total) = chosenColumns(
                            components, componentWeights: draw.componentWeights, options: draw.options, terms: terms)
                        drawChosen.append(columns)
                        drawFactors.append(
                            plan.lacking[p].map { lacking in
                                var weight = total
                                for c in lacking { weight -= draw.componentWeights[c] }
                                return draw.pillarWeights[p] / (weight * overallWeight)
                            })
                    }
                    chosen.append(drawChosen)
                    factors.append(drawFactors)
                }
                // Per draw and pillar: the columns left after the passes of four (at most three),
                // which the kernel adds on its way to the scores.
                let pillarCount = pillarComponents.count
                var restWeights = [Double](repeating: 0, count: draws.count * pillarCount * 3)
                var restColumns = [UnsafePointer<Double>?](repeating: nil, count: draws.count * pillarCount * 3)
                for d in draws.indices {
                    for p in 0..<pillarCount {
                        let columns = chosen[d][p]
                        for (k, column) in columns[columns.count / 4 * 4..<columns.count].enumerated() {
                            restWeights[(d * pillarCount + p) * 3 + k] = column.weight
                            restColumns[(d * pillarCount + p) * 3 + k] = column.column
                        }
                    }
                }
                for first in stride(from: 0, to: count, by: tile.count) {
                    let size = min(tile.count, count - first)
                    let numerator = UnsafeMutableBufferPointer(rebasing: tile[0..<size])
                    for d in draws.indices where scored[d] {
                        let drawScores = scores.baseAddress! + d * count + first
                        for p in 0..<pillarCount {
                            let columns = chosen[d][p]
                            let fours = Self.accumulateFours(columns, from: first, into: numerator)
                            let rest = (d * pillarCount + p) * 3
                            let factors = factors[d][p]
                            factors.withUnsafeBufferPointer { factors in
                                restWeights.withUnsafeBufferPointer { weights in
                                    restColumns.withUnsafeBufferPointer { restColumns in
                                        mandate_add_pillar(
                                            drawScores, size, p == 0, fours > 0 ? numerator.baseAddress! : nil,
                                            Int32(columns.count - fours), weights.baseAddress! + rest,
                                            restColumns.baseAddress! + rest, first, factors.baseAddress!,
                                            factors.count == 1 ? nil : groups.baseAddress! + p * count + first)
                                    }
                                }
                            }
                        }
                    }
                }
                for d in draws.indices {
                    let drawScores = UnsafeMutableBufferPointer(rebasing: scores[d * count..<(d + 1) * count])
                    guard scored[d] else {
                        drawScores.update(repeating: .nan)
                        continue
                    }
                    if geometric {
                        for unit in 0..<count { drawScores[unit] = Foundation.exp(drawScores[unit]) }
                    }
                    for unit in unscored { drawScores[Int(unit)] = .nan }
                }
            }
        }
    }
}
