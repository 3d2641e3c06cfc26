import Synchronization

/// The rank intervals: the ranking recomputed `draws` times, each time with every weight scaled by
/// a random factor in [1 − spread, 1 + spread] and each component's normalisation drawn among
/// its options, all numbers from one SplitMix64 stream; and each satisfaction component's values
/// drawn from their posteriors, from a second stream (`SatisfactionPosterior`).
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
    /// The draws' faster scoring, where the model allows it.
    let plan: ScoreModel.DrawPlan?

    init(model: ScoreModel, settings: RankingMethod.Uncertainty) {
        self.model = model
        self.settings = settings
        ranked = (0..<model.unitCount).filter { model.hasData[$0] }.map { Int32($0) }
        plan = ScoreModel.DrawPlan(model)
    }

    /// Whether ranks are kept in 16 bits: half the memory of 32, for the 65,535 units and fewer
    /// that national rankings have (3,321 communes), which makes the draws a tenth faster.
    var narrowRanks: Bool { ranked.count <= Int(UInt16.max) }

    /// Each unit's interval (nil for unranked units), in the table's unit order.
    func intervals() -> [RankInterval?] {
        narrowRanks ? intervals(as: UInt16.self) : intervals(as: UInt32.self)
    }

    func intervals<R: FixedWidthInteger & UnsignedInteger>(as: R.Type) -> [RankInterval?] {
        place([summarise([ranks(0..<settings.draws, as: R.self)], units: 0..<ranked.count)])
    }

    /// The same intervals, the draws split among `workers` concurrent tasks, then the units.
    func intervals(workers: Int) async -> [RankInterval?] {
        narrowRanks
            ? await intervals(workers: workers, as: UInt16.self) : await intervals(workers: workers, as: UInt32.self)
    }

    /// The draws go in chunks that each task takes in turn as it finishes the last, so that a
    /// task slowed by other work on the machine holds the others up by one chunk at most.
    func intervals<R: FixedWidthInteger & UnsignedInteger & Sendable>(
        workers: Int, as: R.Type
    ) async
        -> [RankInterval?]
    {
        let draws = settings.draws
        let parts = max(1, min(workers, draws))
        let chunks = Self.chunks(draws: draws, workers: parts)
        let queue = ChunkQueue()
        let taken = await Self.concurrently(parts) { _ in
            var done: [(chunk: Int, ranks: [R])] = []
            while case let chunk = queue.take(), chunk < chunks.count {
                done.append((chunk, self.ranks(chunks[chunk], as: R.self)))
            }
            return done
        }
        let blocks = taken.joined().sorted { $0.chunk < $1.chunk }.map(\.ranks)
        let units = ranked.count
        let unitParts = max(1, min(workers, units))
        let summaries = await Self.concurrently(unitParts) { [blocks] part in
            self.summarise(blocks, units: units * part / unitParts..<units * (part + 1) / unitParts)
        }
        return place(summaries)
    }

    /// Consecutive ranges of draws, about four per worker, each a whole number of blocks of 16
    /// draws but the last.
    static func chunks(draws: Int, workers: Int) -> [Range<Int>] {
        let size = max(16, (draws / max(1, workers * 4) + 15) / 16 * 16)
        return stride(from: 0, to: draws, by: size).map { $0..<min(draws, $0 + size) }
    }

    /// Hands out chunk numbers 0, 1, 2, … to whichever task asks next.
    final class ChunkQueue: Sendable {
        private let next = Atomic<Int>(0)

        func take() -> Int {
            next.wrappingAdd(1, ordering: .relaxed).oldValue
        }
    }

    /// `work(0) … work(parts − 1)`, run as concurrent tasks, in that order.
    static func concurrently<T: Sendable>(_ parts: Int, _ work: @escaping @Sendable (Int) -> T) async -> [T] {
        await withTaskGroup(of: (Int, T).self) { group in
            for part in 0..<parts { group.addTask { (part, work(part)) } }
            var results: [T?] = Array(repeating: nil, count: parts)
            for await (part, result) in group { results[part] = result }
            return results.map { $0! }
        }
    }

    /// The intervals of consecutive runs of ranked units, placed in the table's unit order.
    func place(_ summaries: [[RankInterval]]) -> [RankInterval?] {
        var intervals = [RankInterval?](repeating: nil, count: model.unitCount)
        for (index, interval) in summaries.joined().enumerated() { intervals[Int(ranked[index])] = interval }
        return intervals
    }

    /// The ranks of the ranked units in the draws of `range`, unit-major: the ranks of the i-th
    /// ranked unit are i × range.count ..< (i + 1) × range.count.
    func ranks<R: FixedWidthInteger & UnsignedInteger>(_ range: Range<Int>, as: R.Type) -> [R] {
        let count = model.unitCount
        let draws = range.count
        guard draws > 0, !ranked.isEmpty else { return [] }
        let pillarCount = model.pillarWeights.count
        let componentCount = model.componentWeights.count
        let perDraw = UInt64(pillarCount + 2 * componentCount)
        let spread = settings.weightSpread

        var drawn = [ScoreModel.DrawSetting](
            repeating: ScoreModel.DrawSetting(
                pillarWeights: model.pillarWeights, componentWeights: model.componentWeights,
                options: [Int](repeating: 0, count: componentCount)),
            count: Self.block)
        var buffers = ScoreModel.Buffers(unitCount: count)
        var scores = [Double](repeating: 0, count: count)
        var tile = [Double](repeating: 0, count: Self.tileUnits)
        // Draw-major for a block of draws, then copied unit by unit: writing each draw's ranks
        // straight into the unit-major array would touch a new cache line for every unit.
        var blockScores = [Double](repeating: 0, count: Self.block * count)
        var blockRanks = [Int32](repeating: 0, count: Self.block * count)
        var scratch = [UInt64](repeating: 0, count: 2 * ranked.count)
        var counts = [Int32](repeating: 0, count: CompetitionRanking.countsNeeded)
        var ranks = [R](repeating: 0, count: ranked.count * draws)
        // Satisfaction components take new values each draw: their columns are rewritten in this
        // copy of the model, and each draw is scored on its own.
        var redrawn = model

        for first in stride(from: 0, to: draws, by: Self.block) {
            let size = min(Self.block, draws - first)
            for slot in 0..<size {
                var n = UInt64(range.lowerBound + first + slot) * perDraw
                func uniform() -> Double {
                    n += 1
                    return SplitMix64.uniform(SplitMix64.output(seed: settings.seed, at: n))
                }
                for p in 0..<pillarCount {
                    drawn[slot].pillarWeights[p] = model.pillarWeights[p] * (1 + spread * (2 * uniform() - 1))
                }
                for c in 0..<componentCount {
                    drawn[slot].componentWeights[c] =
                        model.componentWeights[c] * (1 + spread * (2 * uniform() - 1))
                }
                for c in 0..<componentCount {
                    let k = model.optionCounts[c]
                    drawn[slot].options[c] = min(k - 1, Int(uniform() * Double(k)))
                }
            }
            if !model.posteriors.isEmpty {
                for slot in 0..<size {
                    redrawn.redraw(range.lowerBound + first + slot, options: drawn[slot].options, seed: settings.seed)
                    if let plan {
                        tile.withUnsafeMutableBufferPointer { tile in
                            blockScores.withUnsafeMutableBufferPointer { blockScores in
                                redrawn.evaluate(
                                    [drawn[slot]], plan: plan, tile: tile,
                                    scores: UnsafeMutableBufferPointer(
                                        rebasing: blockScores[slot * count..<(slot + 1) * count]))
                            }
                        }
                    } else {
                        redrawn.evaluate(
                            pillarWeights: drawn[slot].pillarWeights, componentWeights: drawn[slot].componentWeights,
                            options: drawn[slot].options, buffers: &buffers, scores: &scores)
                        blockScores.replaceSubrange(slot * count..<(slot + 1) * count, with: scores)
                    }
                }
            } else if let plan {
                tile.withUnsafeMutableBufferPointer { tile in
                    blockScores.withUnsafeMutableBufferPointer { blockScores in
                        model.evaluate(Array(drawn[0..<size]), plan: plan, tile: tile, scores: blockScores)
                    }
                }
            } else {
                for slot in 0..<size {
                    model.evaluate(
                        pillarWeights: drawn[slot].pillarWeights,
                        componentWeights: drawn[slot].componentWeights, options: drawn[slot].options,
                        buffers: &buffers, scores: &scores)
                    blockScores.replaceSubrange(slot * count..<(slot + 1) * count, with: scores)
                }
            }
            blockScores.withUnsafeBufferPointer { blockScores in
                ranked.withUnsafeBufferPointer { units in
                    blockRanks.withUnsafeMutableBufferPointer { blockRanks in
                        scratch.withUnsafeMutableBufferPointer { scratch in
                            counts.withUnsafeMutableBufferPointer { counts in
                                for slot in 0..<size {
                                    CompetitionRanking.rank(
                                        UnsafeBufferPointer(rebasing: blockScores[slot * count..<(slot + 1) * count]),
                                        units: units,
                                        into: UnsafeMutableBufferPointer(
                                            rebasing: blockRanks[slot * count..<(slot + 1) * count]),
                                        scratch: scratch, counts: counts)
                                }
                            }
                        }
                    }
                }
            }
            // A tile of units at a time, so that both the rows read and the rows written stay
            // in the core's cache while the tile is copied.
            ranks.withUnsafeMutableBufferPointer { ranks in
                blockRanks.withUnsafeBufferPointer { blockRanks in
                    ranked.withUnsafeBufferPointer { ranked in
                        for tile in stride(from: 0, to: ranked.count, by: 64) {
                            let tileEnd = min(tile + 64, ranked.count)
                            for offset in 0..<size {
                                let row = offset &* count
                                let column = first &+ offset
                                for index in tile..<tileEnd {
                                    ranks[index &* draws &+ column] = R(
                                        truncatingIfNeeded: blockRanks[row &+ Int(ranked[index])])
                                }
                            }
                        }
                    }
                }
            }
        }
        return ranks
    }

    /// Draws scored and ranked together: their scores and ranks stay in the core's cache.
    static let block = 16
    /// Units scored at a time for a block of draws: the tile's columns of terms (a few hundred
    /// kilobytes for a hundred columns) stay in the core's cache for all the block's draws.
    static let tileUnits = 512
}
