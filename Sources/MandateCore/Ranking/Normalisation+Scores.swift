extension Normalisation {
    /// The scores (0–100, higher is better) of the present values of one component in one period,
    /// in the same order. `target` is the resolved target for `distanceToTarget` (the engine checks
    /// it exists and is positive before calling).
    public func scores(_ values: [Double], direction: Direction, target: Double? = nil) -> [Double] {
        guard !values.isEmpty else { return [] }
        let higher = direction == .higher
        switch self {
        case .minMax:
            let low = values.min() ?? 0
            let high = values.max() ?? 0
            // All equal: nothing tells the units apart, and each is as good as the best.
            guard high > low else { return Array(repeating: 100, count: values.count) }
            let span = high - low
            return values.map { higher ? 100 * (($0 - low) / span) : 100 * ((high - $0) / span) }
        case .zScore:
            // All equal: every z is 0. Tested on the values, not on a computed standard deviation,
            // which rounding can leave a hair above zero.
            guard let first = values.first, values.contains(where: { $0 != first }) else {
                return Array(repeating: 50, count: values.count)
            }
            let count = Double(values.count)
            let mean = values.reduce(0, +) / count
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / count
            let deviation = variance.squareRoot()
            return values.map {
                let z = higher ? ($0 - mean) / deviation : (mean - $0) / deviation
                return Self.clip(50 + 10 * z)
            }
        case .distanceToTarget(let fixed):
            guard let target = fixed ?? target, target > 0 else { return Array(repeating: 0, count: values.count) }
            return values.map {
                if higher { return 100 * min(1, max(0, $0 / target)) }
                return $0 <= target ? 100 : 100 * (target / $0)
            }
        case .goalposts(let low, let high):
            let span = high - low
            return values.map { 100 * min(1, max(0, higher ? ($0 - low) / span : (high - $0) / span)) }
        case .rank:
            guard values.count > 1 else { return [100] }
            let ranks = Self.averageRanks(values, ascending: higher)
            let last = Double(values.count - 1)
            return ranks.map { 100 * (($0 - 1) / last) }
        }
    }

    static func clip(_ score: Double) -> Double { min(100, max(0, score)) }

    /// 1-based ranks of `values` (1 = smallest when `ascending`, largest otherwise); equal values
    /// share the mean of the ranks they span.
    static func averageRanks(_ values: [Double], ascending: Bool) -> [Double] {
        let count = values.count
        // The values' positions in ascending order, sorted by integers that order as the values do
        // (a radix sort: no comparisons to mispredict).
        var keys = values.map(Self.orderKey)
        var order = [Int32](0..<Int32(count))
        Self.radixSort(&keys, carrying: &order)
        // A run of equal values at sorted positions first...last (0-based) spans ascending ranks
        // first + 1 … last + 1, whose mean is (first + last + 2) ÷ 2.
        var ranks = [Double](repeating: 0, count: count)
        var first = 0
        while first < count {
            var last = first
            while last + 1 < count && keys[last + 1] == keys[first] { last += 1 }
            let mean = Double(first + last + 2) / 2
            let rank = ascending ? mean : Double(count + 1) - mean
            for position in first...last { ranks[Int(order[position])] = rank }
            first = last + 1
        }
        return ranks
    }

    /// An integer that orders as the (finite) value does, the same for 0 and −0.
    static func orderKey(_ value: Double) -> UInt64 {
        let bits = (value == 0 ? 0.0 : value).bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    /// Sorts `keys` ascending and moves `payload` along: two passes of a radix sort on the top
    /// 22 bits of each key's distance above the least, then insertion for neighbours those bits
    /// do not tell apart; if that takes too many moves, a byte-wise radix sort finishes.
    static func radixSort(_ keys: inout [UInt64], carrying payload: inout [Int32]) {
        let count = keys.count
        guard count > 1, let lowest = keys.min(), let highest = keys.max() else { return }
        let bits: UInt64 = 11
        let digits = 1 << bits
        let mask = UInt64(digits - 1)
        let shift = UInt64(max(0, (64 - (highest - lowest).leadingZeroBitCount) - 2 * Int(bits)))
        var spareKeys = [UInt64](repeating: 0, count: count)
        var sparePayload = [Int32](repeating: 0, count: count)
        var counts = [Int](repeating: 0, count: 2 * digits)
        var finished = false
        keys.withUnsafeMutableBufferPointer { keys in
            payload.withUnsafeMutableBufferPointer { payload in
                spareKeys.withUnsafeMutableBufferPointer { spareKeys in
                    sparePayload.withUnsafeMutableBufferPointer { sparePayload in
                        counts.withUnsafeMutableBufferPointer { counts in
                            for key in keys {
                                let digit = (key - lowest) >> shift
                                counts[Int(digit & mask)] += 1
                                counts[digits + Int(digit >> bits)] += 1
                            }
                            var low = 0
                            var high = 0
                            for digit in 0..<digits {
                                (counts[digit], low) = (low, low + counts[digit])
                                (counts[digits + digit], high) = (high, high + counts[digits + digit])
                            }
                            for index in 0..<count {
                                let slot = Int(((keys[index] - lowest) >> shift) & mask)
                                spareKeys[counts[slot]] = keys[index]
                                sparePayload[counts[slot]] = payload[index]
                                counts[slot] += 1
                            }
                            for index in 0..<count {
                                let slot = digits + Int(((spareKeys[index] - lowest) >> shift) >> bits)
                                keys[counts[slot]] = spareKeys[index]
                                payload[counts[slot]] = sparePayload[index]
                                counts[slot] += 1
                            }
                            var moves = 0
                            var position = 1
                            while position < count && moves <= 8 * count {
                                let key = keys[position]
                                let carried = payload[position]
                                var next = position
                                while next > 0 && keys[next - 1] > key {
                                    keys[next] = keys[next - 1]
                                    payload[next] = payload[next - 1]
                                    next -= 1
                                }
                                keys[next] = key
                                payload[next] = carried
                                moves += position - next
                                position += 1
                            }
                            finished = position == count
                        }
                    }
                }
            }
        }
        if !finished { byteRadixSort(&keys, carrying: &payload) }
    }

    /// Sorts `keys` ascending and moves `payload` along (LSD radix sort by bytes, skipping bytes
    /// that are the same in every key).
    static func byteRadixSort(_ keys: inout [UInt64], carrying payload: inout [Int32]) {
        let count = keys.count
        var spareKeys = [UInt64](repeating: 0, count: count)
        var sparePayload = [Int32](repeating: 0, count: count)
        var counts = [Int](repeating: 0, count: 256)
        for shift in stride(from: UInt64(0), to: 64, by: 8) {
            for index in 0..<256 { counts[index] = 0 }
            for key in keys { counts[Int((key >> shift) & 0xFF)] += 1 }
            if counts.contains(count) { continue }
            var offset = 0
            for digit in 0..<256 {
                let size = counts[digit]
                counts[digit] = offset
                offset += size
            }
            for index in 0..<count {
                let digit = Int((keys[index] >> shift) & 0xFF)
                spareKeys[counts[digit]] = keys[index]
                sparePayload[counts[digit]] = payload[index]
                counts[digit] += 1
            }
            swap(&keys, &spareKeys)
            swap(&payload, &sparePayload)
        }
    }
}
