/// Ranks with ties sharing a rank, the next rank skipping as many places (1, 2, 2, 4).
///
/// Scores are compared after rounding to 10⁻⁹ (`key`): scores that differ by less are the same
/// score, so the order of floating-point additions, which differs between implementations by
/// far less, never splits a tie.
public enum CompetitionRanking {
    /// floor(score × 10⁹ + 0.5): the score rounded to 10⁻⁹, as an integer.
    @inlinable
    public static func key(_ score: Double) -> Int64 {
        Int64((score * 1e9 + 0.5).rounded(.down))
    }

    /// The most units a ranking holds: a unit's index takes the low 20 bits of a sort key.
    public static let maximumUnits = 1 << 20
    static let indexBits: UInt64 = 20
    static let indexMask: UInt64 = (1 << 20) - 1

    /// Each score's rank, highest score first; nil scores are unranked.
    public static func ranks(_ scores: [Double?]) -> [Int?] {
        var ranks = [Int?](repeating: nil, count: scores.count)
        let keys = scores.map { $0.map(key) }
        let present = keys.compactMap { $0 }
        guard let top = present.max(), let bottom = present.min() else { return ranks }
        // Higher first: the distance below the top key, then the index, in one integer. Scores and
        // score changes (±100, so distances below 2^38) fit; wider ones take the slower path.
        let (span, overflow) = top.subtractingReportingOverflow(bottom)
        guard scores.count < maximumUnits, !overflow, span < 1 << 43 else {
            return slowRanks(keys)
        }
        var packed: [UInt64] = []
        packed.reserveCapacity(scores.count)
        for (index, key) in keys.enumerated() {
            if let key { packed.append(UInt64(top - key) << indexBits | UInt64(index)) }
        }
        packed.sort()
        var previous = UInt64.max
        var rank = 0
        for (position, entry) in packed.enumerated() {
            if entry >> indexBits != previous {
                rank = position + 1
                previous = entry >> indexBits
            }
            ranks[Int(entry & indexMask)] = rank
        }
        return ranks
    }

    static func slowRanks(_ keys: [Int64?]) -> [Int?] {
        let order = keys.enumerated().compactMap { index, key in key.map { (key: $0, index: index) } }
            .sorted { $0.key > $1.key }
        var ranks = [Int?](repeating: nil, count: keys.count)
        for (position, entry) in order.enumerated() {
            let tied = position > 0 && order[position - 1].key == entry.key
            ranks[entry.index] = tied ? ranks[order[position - 1].index] : position + 1
        }
        return ranks
    }

    /// The length of the `counts` buffer the Monte Carlo's inner ranking needs, whatever the
    /// number of units: two tallies of 2¹¹ digits (the fall-back radix sort reuses the first 256).
    public static let countsNeeded = 2 * digitCount
    static let digitBits: UInt64 = 11
    static let digitCount = 1 << 11

    /// `key(score)` for the inner ranking, without branches or calls, where score × 10⁹ + 0.5
    /// lies in [0, 2⁵¹) (every score in [0, 100]): `largest` keeps the largest bit pattern of
    /// that sum, and `innerKeysHold(largest)` says whether every key so made is right. Adding 2⁵²
    /// rounds to the nearest whole number (its bits then hold that number); one less where that
    /// rounded up gives the floor.
    @inline(__always)
    static func innerKey(_ score: Double, largest: inout UInt64) -> Int64 {
        let scaled = score * 1e9 + 0.5
        let shifted = scaled + 0x1p52
        let nearest = Int64(bitPattern: shifted.bitPattern &- (0x1p52 as Double).bitPattern)
        // Negative (sign bit set) exactly where the rounding went up; x − x is +0.
        let below = scaled - (shifted - 0x1p52)
        largest = max(largest, scaled.bitPattern)
        return nearest &+ (Int64(bitPattern: below.bitPattern) &>> 63)
    }

    /// Whether the sums whose largest bit pattern is `largest` all lay in [0, 2⁵¹) (a negative
    /// or NaN sum has a larger pattern than any positive number).
    @inline(__always)
    static func innerKeysHold(_ largest: UInt64) -> Bool { largest < (0x1p51 as Double).bitPattern }

    /// The ranks of `scores` (each in [0, 100]) at `units` (indices), written to `ranks` at the same
    /// indices: the Monte Carlo's inner ranking, without allocation. `scratch` holds at least
    /// 2 × units.count integers and `counts` `countsNeeded`.
    ///
    /// Two passes of a radix sort on the top 22 bits of each key's distance below a score of 100
    /// (stable, so ties keep their unit order), then insertion for the rare neighbours those
    /// bits do not tell apart; where too many are left (scores crowded in a narrow band far
    /// from the rest), a full radix sort on the whole key finishes the job.
    static func rank(
        _ scores: UnsafeBufferPointer<Double>, units: UnsafeBufferPointer<Int32>,
        into ranks: UnsafeMutableBufferPointer<Int32>, scratch: UnsafeMutableBufferPointer<UInt64>,
        counts: UnsafeMutableBufferPointer<Int32>
    ) {
        let top = key(100)
        let count = units.count
        guard count > 0 else { return }
        var keys = UnsafeMutableBufferPointer(rebasing: scratch[0..<count])
        var sorted = UnsafeMutableBufferPointer(rebasing: scratch[count..<2 * count])
        let mask = UInt64(digitCount - 1)
        let low = UnsafeMutableBufferPointer(rebasing: counts[0..<digitCount])
        let high = UnsafeMutableBufferPointer(rebasing: counts[digitCount..<2 * digitCount])
        low.update(repeating: 0)
        high.update(repeating: 0)
        // Scores in [0, 100] lie at most `top` below the best: the top 22 of its bits make the
        // digits, counted as the keys are made.
        var lowest: UInt64 = 0
        var shift = UInt64(max(0, (64 - UInt64(top).leadingZeroBitCount) - 2 * Int(digitBits)))
        var largest: UInt64 = 0
        for position in 0..<count {
            let unit = Int(units[position])
            // A key in the fast path is not negative: at most `top` below it.
            let below = UInt64(bitPattern: top &- min(top, innerKey(scores[unit], largest: &largest)))
            keys[position] = below &<< indexBits | UInt64(unit)
            let digits = below &>> shift
            low[Int(digits & mask)] &+= 1
            high[Int((digits &>> digitBits) & mask)] &+= 1
        }
        if !innerKeysHold(largest) {
            // A score outside [0, 100]: keys by `key`, digits from their actual spread.
            var highest = UInt64(0)
            lowest = UInt64.max
            for position in 0..<count {
                let unit = Int(units[position])
                let below = UInt64(max(0, top - min(top, key(scores[unit]))))
                keys[position] = below << indexBits | UInt64(unit)
                lowest = min(lowest, below)
                highest = max(highest, below)
            }
            shift = UInt64(max(0, (64 - (highest - lowest).leadingZeroBitCount) - 2 * Int(digitBits)))
            low.update(repeating: 0)
            high.update(repeating: 0)
            for packed in keys {
                let digits = ((packed >> indexBits) - lowest) >> shift
                low[Int(digits & mask)] += 1
                high[Int(digits >> digitBits)] += 1
            }
        }
        var lowOffset: Int32 = 0
        var highOffset: Int32 = 0
        for digit in 0..<digitCount {
            let lowSize = low[digit]
            low[digit] = lowOffset
            lowOffset &+= lowSize
            let highSize = high[digit]
            high[digit] = highOffset
            highOffset &+= highSize
        }
        for packed in keys {
            let digit = Int((((packed &>> indexBits) &- lowest) &>> shift) & mask)
            sorted[Int(low[digit])] = packed
            low[digit] &+= 1
        }
        for packed in sorted {
            let digit = Int((((packed &>> indexBits) &- lowest) &>> shift) &>> digitBits)
            keys[Int(high[digit])] = packed
            high[digit] &+= 1
        }
        swap(&keys, &sorted)
        // Sorted on the top bits; the rest by insertion, within a budget of moves.
        var moves = 0
        var position = 1
        while position < count && moves <= 8 * count {
            let value = sorted[position]
            var next = position
            while next > 0 && sorted[next - 1] > value {
                sorted[next] = sorted[next - 1]
                next -= 1
            }
            sorted[next] = value
            moves += position - next
            position += 1
        }
        if position < count {
            radixSort(sorted, spare: keys, counts: UnsafeMutableBufferPointer(rebasing: counts[0..<256]))
        }
        var previous = UInt64.max
        var rank: Int32 = 0
        for position in 0..<count {
            let entry = sorted[position]
            if entry &>> indexBits != previous {
                rank = Int32(truncatingIfNeeded: position &+ 1)
                previous = entry &>> indexBits
            }
            ranks[Int(entry & indexMask)] = rank
        }
    }

    /// Sorts `values` ascending, byte by byte from the lowest (LSD radix sort), skipping bytes that
    /// are the same in every value; `spare` is as long as `values`.
    static func radixSort(
        _ values: UnsafeMutableBufferPointer<UInt64>, spare: UnsafeMutableBufferPointer<UInt64>,
        counts: UnsafeMutableBufferPointer<Int32>
    ) {
        let count = Int32(truncatingIfNeeded: values.count)
        var source = values
        var target = spare
        for shift in stride(from: UInt64(0), to: 64, by: 8) {
            counts.update(repeating: 0)
            for value in source { counts[Int((value >> shift) & 0xFF)] += 1 }
            if counts.contains(count) { continue }
            var offset: Int32 = 0
            for digit in 0..<256 {
                let size = counts[digit]
                counts[digit] = offset
                offset += size
            }
            for value in source {
                let digit = Int((value >> shift) & 0xFF)
                target[Int(counts[digit])] = value
                counts[digit] += 1
            }
            swap(&source, &target)
        }
        if source.baseAddress != values.baseAddress {
            _ = values.update(fromContentsOf: source)
        }
    }
}
