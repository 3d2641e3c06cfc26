/// The rank intervals: the ranking recomputed `draws` times, each time with every weight scaled by
/// a random factor in [1 − spread, 1 + spread] and each component's normalisation drawn among
/// its options, all numbers from one SplitMix64 stream.
///
/// Draw d (0-based) takes the outputs d × (P + 2C) + 1 … (d + 1) × (P + 2C) of SplitMix64 seeded
/// with the seed (P pillars, C components, in the method's order) as uniforms u in [0, 1):
/// first one per pillar weight, then one per component weight, each weight w becoming
/// w × (1 + spread × (2u − 1)); then one per component choosing option ⌊u × k⌋ of its k options.
struct MonteCarlo {
    let model: ScoreModel
    let settings: RankingMethod.Uncertainty

    /// Each unit's interval (nil for unranked units), in the table's unit order.
    func intervals() -> [RankInterval?] {
        let count = model.unitCount
        let draws = settings.draws
        let ranked = (0..<count).filter { model.hasData[$0] }.map { Int32($0) }
        guard draws > 0, !ranked.isEmpty else { return Array(repeating: nil, count: count) }
        let pillarCount = model.pillarWeights.count
        let componentCount = model.componentWeights.count
        let perDraw = UInt64(pillarCount + 2 * componentCount)
        let spread = settings.weightSpread

        var pillarWeights = model.pillarWeights
        var componentWeights = model.componentWeights
        var options = [Int](repeating: 0, count: componentCount)
        var buffers = ScoreModel.Buffers(unitCount: count)
        var scores = [Double](repeating: 0, count: count)
        var drawRanks = [Int32](repeating: 0, count: count)
        var scratch = [UInt64](repeating: 0, count: ranked.count)
        // Unit-major: the ranks of unit u over the draws are u × draws ..< (u + 1) × draws.
        var ranks = [Int32](repeating: 0, count: count * draws)

        for draw in 0..<draws {
            var n = UInt64(draw) * perDraw
            func uniform() -> Double {
                n += 1
                return SplitMix64.uniform(SplitMix64.output(seed: settings.seed, at: n))
            }
            for p in 0..<pillarCount {
                pillarWeights[p] = model.pillarWeights[p] * (1 + spread * (2 * uniform() - 1))
            }
            for c in 0..<componentCount {
                componentWeights[c] = model.componentWeights[c] * (1 + spread * (2 * uniform() - 1))
            }
            for c in 0..<componentCount {
                let k = model.optionCounts[c]
                options[c] = min(k - 1, Int(uniform() * Double(k)))
            }
            model.evaluate(
                pillarWeights: pillarWeights, componentWeights: componentWeights, options: options,
                buffers: &buffers, scores: &scores)
            scores.withUnsafeBufferPointer { scores in
                ranked.withUnsafeBufferPointer { units in
                    drawRanks.withUnsafeMutableBufferPointer { into in
                        CompetitionRanking.rank(scores, units: units, into: into, scratch: &scratch)
                    }
                }
            }
            ranks.withUnsafeMutableBufferPointer { ranks in
                for unit in ranked {
                    ranks[Int(unit) * draws + draw] = drawRanks[Int(unit)]
                }
            }
        }

        var intervals = [RankInterval?](repeating: nil, count: count)
        for unit in ranked.map(Int.init) {
            let sorted = ranks[unit * draws..<(unit + 1) * draws].sorted()
            func percentile(_ percent: Int) -> Int {
                Int(sorted[Self.nearestRankIndex(percent: percent, of: draws)])
            }
            intervals[unit] = RankInterval(low: percentile(5), median: percentile(50), high: percentile(95))
        }
        return intervals
    }

    /// The 0-based position of the p-th percentile among `count` sorted values by the nearest-rank
    /// method: ⌈p × count ÷ 100⌉ − 1 (at least 0), in integers.
    static func nearestRankIndex(percent: Int, of count: Int) -> Int {
        max(0, (percent * count + 99) / 100 - 1)
    }
}
