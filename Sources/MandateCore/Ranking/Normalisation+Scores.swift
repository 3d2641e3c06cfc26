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
        let order = values.indices.sorted { ascending ? values[$0] < values[$1] : values[$0] > values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && values[order[end + 1]] == values[order[start]] { end += 1 }
            // Positions start...end (0-based) are ranks start+1...end+1; their mean:
            let shared = Double(start + end + 2) / 2
            for position in start...end { ranks[order[position]] = shared }
            start = end + 1
        }
        return ranks
    }
}
