import Synchronization

/// Each ranked unit's interval of ranks over the draws: the 5th, 50th and 95th percentiles.
extension MonteCarlo {
    /// The intervals of the ranked units at `units` (indices into `ranked`), from unit-major
    /// blocks of ranks (`ranks(_:)` of consecutive ranges).
    func summarise<R: FixedWidthInteger & UnsignedInteger>(_ blocks: [[R]], units: Range<Int>) -> [RankInterval] {
        let draws = settings.draws
        guard draws > 0, !ranked.isEmpty else { return [] }
        let positions = [5, 50, 95].map { Self.nearestRankIndex(percent: $0, of: draws) }
        let sizes = blocks.map { $0.count / ranked.count }
        // Ranks are whole numbers from 1 to the number of units: counting them beats sorting.
        var tally = [Int32](repeating: 0, count: Self.tallySize(units: ranked.count))
        return units.map { index in
            let slices = zip(blocks, sizes).map { block, size in block[index * size..<(index + 1) * size] }
            let found = Self.orderStatistics(slices, at: positions, tally: &tally)
            return RankInterval(low: found[0], median: found[1], high: found[2])
        }
    }

    /// The values at the 0-based `positions` (ascending) of all the `slices`' ranks once sorted, by
    /// counting; `tally` holds `lanes` zeroed counters for every rank value (`tallySize(units:)`)
    /// and is left zeroed.
    ///
    /// A unit's ranks repeat often, and counting them into one counter each would make every
    /// increment wait for the last: four lanes of counters, taken in turn, keep four going at once.
    static func orderStatistics<R: FixedWidthInteger & UnsignedInteger>(
        _ slices: [ArraySlice<R>], at positions: [Int], tally: inout [Int32]
    ) -> [Int] {
        var low = Int.max
        var high = Int.min
        tally.withUnsafeMutableBufferPointer { tally in
            for slice in slices {
                slice.withUnsafeBufferPointer { ranks in
                    var next = 0
                    while next + lanes <= ranks.count {
                        let a = Int(ranks[next])
                        let b = Int(ranks[next + 1])
                        let c = Int(ranks[next + 2])
                        let d = Int(ranks[next + 3])
                        tally[a &* lanes] &+= 1
                        tally[b &* lanes &+ 1] &+= 1
                        tally[c &* lanes &+ 2] &+= 1
                        tally[d &* lanes &+ 3] &+= 1
                        low = min(low, min(min(a, b), min(c, d)))
                        high = max(high, max(max(a, b), max(c, d)))
                        next += lanes
                    }
                    while next < ranks.count {
                        let rank = Int(ranks[next])
                        tally[rank &* lanes] &+= 1
                        low = min(low, rank)
                        high = max(high, rank)
                        next += 1
                    }
                }
            }
        }
        var found: [Int] = []
        guard low <= high else { return found }
        tally.withUnsafeMutableBufferPointer { tally in
            // `seen` counts the ranks below `rank`. Whole blocks of ranks are skipped by their sum
            // (a loop the compiler vectorises) until the block holding the wanted position.
            var seen = 0
            var rank = low
            let block = 16
            for position in positions {
                while rank + block <= high + 1 {
                    var sum: Int32 = 0
                    for counter in rank &* lanes..<(rank &+ block) &* lanes { sum &+= tally[counter] }
                    if seen + Int(sum) > position { break }
                    seen += Int(sum)
                    rank += block
                }
                while true {
                    let lane = rank &* lanes
                    let here = Int(tally[lane]) + Int(tally[lane + 1]) + Int(tally[lane + 2]) + Int(tally[lane + 3])
                    if seen + here > position { break }
                    seen += here
                    rank += 1
                }
                found.append(rank)
            }
            UnsafeMutableBufferPointer(rebasing: tally[low &* lanes..<(high &+ 1) &* lanes]).update(repeating: 0)
        }
        return found
    }

    static let lanes = 4

    /// The counters `orderStatistics` needs for ranks of `units` units.
    static func tallySize(units: Int) -> Int { lanes * (units + 2) }

    /// The 0-based position of the p-th percentile among `count` sorted values by the nearest-rank
    /// method: ⌈p × count ÷ 100⌉ − 1 (at least 0), in integers.
    static func nearestRankIndex(percent: Int, of count: Int) -> Int {
        max(0, (percent * count + 99) / 100 - 1)
    }
}
