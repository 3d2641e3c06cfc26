/// The rank intervals: the ranking recomputed `draws` times, each time with every weight scaled by
/// a random factor in [1 − spread, 1 + spread] and each component's normalisation drawn among
/// its options, all numbers from one SplitMix64 stream.
///
/// Draw d (0-based) takes the outputs d × (P + 2C) + 1 … (d + 1) × (P + 2C) of SplitMix64 seeded
/// with the seed (P pillars, C components, in the method's order) as uniforms u in [0, 1):
/// first one per pillar weight, then one per component weight, each weight w becoming
/// w × (1 + spread × (2u − 1)); then one per component choosing option ⌊u × k⌋ of its k options.
/// Since any draw's numbers can be computed directly, ranges of draws run independently, in
/// parallel when asked, with the same result.
struct MonteCarlo: Sendable {
    let model: ScoreModel
    let settings: RankingMethod.Uncertainty
    /// The units with data, which the draws rank.
    let ranked: [Int32]

    init(model: ScoreModel, settings: RankingMethod.Uncertainty) {
        self.model = model
        self.settings = settings
        ranked = (0..<model.unitCount).filter { model.hasData[$0] }.map { Int32($0) }
    }

    /// Each unit's interval (nil for unranked units), in the table's unit order.
    func intervals() -> [RankInterval?] {
        summarise([ranks(0..<settings.draws)])
    }

    /// The same intervals, the draws split among `workers` concurrent tasks.
    func intervals(workers: Int) async -> [RankInterval?] {
        let draws = settings.draws
        let parts = max(1, min(workers, draws))
        let ranges = (0..<parts).map { draws * $0 / parts..<draws * ($0 + 1) / parts }
        let blocks = await withTaskGroup(of: (Int, [Int32]).self) { group in
            for (index, range) in ranges.enumerated() {
                group.addTask { (index, self.ranks(range)) }
            }
            var blocks = [[Int32]](repeating: [], count: parts)
            for await (index, block) in group { blocks[index] = block }
            return blocks
        }
        return summarise(blocks)
    }

    /// The ranks of the ranked units in the draws of `range`, unit-major: the ranks of the i-th
    /// ranked unit are i × range.count ..< (i + 1) × range.count.
    func ranks(_ range: Range<Int>) -> [Int32] {
        let count = model.unitCount
        let draws = range.count
        guard draws > 0, !ranked.isEmpty else { return [] }
        let pillarCount = model.pillarWeights.count
        let componentCount = model.componentWeights.count
        let perDraw = UInt64(pillarCount + 2 * componentCount)
        let spread = settings.weightSpread

        var pillarWeights = model.pillarWeights
        var componentWeights = model.componentWeights
        var options = [Int](repeating: 0, count: componentCount)
        var buffers = ScoreModel.Buffers(unitCount: count)
        var scores = [Double](repeating: 0, count: count)
        // Draw-major for a block of draws, then copied unit by unit: writing each draw's ranks
        // straight into the unit-major array would touch a new cache line for every unit.
        let block = 64
        var blockRanks = [Int32](repeating: 0, count: block * count)
        var scratch = [UInt64](repeating: 0, count: 2 * ranked.count)
        var counts = [Int](repeating: 0, count: CompetitionRanking.countsNeeded(units: ranked.count))
        var ranks = [Int32](repeating: 0, count: ranked.count * draws)

        for (row, draw) in range.enumerated() {
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
            let slot = row % block
            scores.withUnsafeBufferPointer { scores in
                ranked.withUnsafeBufferPointer { units in
                    blockRanks.withUnsafeMutableBufferPointer { blockRanks in
                        let into = UnsafeMutableBufferPointer(rebasing: blockRanks[slot * count..<(slot + 1) * count])
                        scratch.withUnsafeMutableBufferPointer { scratch in
                            counts.withUnsafeMutableBufferPointer { counts in
                                CompetitionRanking.rank(
                                    scores, units: units, into: into, scratch: scratch, counts: counts)
                            }
                        }
                    }
                }
            }
            if slot == block - 1 || row == draws - 1 {
                let first = row - slot
                ranks.withUnsafeMutableBufferPointer { ranks in
                    blockRanks.withUnsafeBufferPointer { blockRanks in
                        for (index, unit) in ranked.enumerated() {
                            for offset in 0...slot {
                                ranks[index * draws + first + offset] = blockRanks[offset * count + Int(unit)]
                            }
                        }
                    }
                }
            }
        }
        return ranks
    }

    /// The intervals from unit-major blocks of ranks (`ranks(_:)` of consecutive ranges).
    func summarise(_ blocks: [[Int32]]) -> [RankInterval?] {
        var intervals = [RankInterval?](repeating: nil, count: model.unitCount)
        let draws = settings.draws
        guard draws > 0, !ranked.isEmpty else { return intervals }
        let positions = [5, 50, 95].map { Self.nearestRankIndex(percent: $0, of: draws) }
        let sizes = blocks.map { $0.count / ranked.count }
        // Ranks are whole numbers from 1 to the number of units: counting them beats sorting.
        var tally = [Int](repeating: 0, count: ranked.count + 2)
        for (index, unit) in ranked.enumerated() {
            let slices = zip(blocks, sizes).map { block, size in block[index * size..<(index + 1) * size] }
            let found = Self.orderStatistics(slices, at: positions, tally: &tally)
            intervals[Int(unit)] = RankInterval(low: found[0], median: found[1], high: found[2])
        }
        return intervals
    }

    /// The values at the 0-based `positions` (ascending) of all the `slices`' ranks once sorted, by
    /// counting; `tally` has room for every rank value and is left zeroed.
    static func orderStatistics(_ slices: [ArraySlice<Int32>], at positions: [Int], tally: inout [Int]) -> [Int] {
        var low = Int32.max
        var high = Int32.min
        for slice in slices {
            for rank in slice {
                low = min(low, rank)
                high = max(high, rank)
            }
        }
        for slice in slices {
            for rank in slice { tally[Int(rank - low)] += 1 }
        }
        var found: [Int] = []
        var seen = 0
        var next = 0
        for offset in 0...Int(high - low) {
            seen += tally[offset]
            tally[offset] = 0
            while next < positions.count && positions[next] < seen {
                found.append(Int(low) + offset)
                next += 1
            }
        }
        return found
    }

    /// The 0-based position of the p-th percentile among `count` sorted values by the nearest-rank
    /// method: ⌈p × count ÷ 100⌉ − 1 (at least 0), in integers.
    static func nearestRankIndex(percent: Int, of count: Int) -> Int {
        max(0, (percent * count + 99) / 100 - 1)
    }
}
