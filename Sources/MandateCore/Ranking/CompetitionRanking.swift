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

    /// Each score's rank, highest score first; nil scores are unranked.
    public static func ranks(_ scores: [Double?]) -> [Int?] {
        let keyed = scores.enumerated().compactMap { index, score in score.map { (key: key($0), index: index) } }
        let order = keyed.sorted { $0.key > $1.key }
        var ranks = [Int?](repeating: nil, count: scores.count)
        for (position, entry) in order.enumerated() {
            if position > 0, order[position - 1].key == entry.key {
                ranks[entry.index] = ranks[order[position - 1].index]
            } else {
                ranks[entry.index] = position + 1
            }
        }
        return ranks
    }

    /// The ranks of `scores` at `units` (indices), written to `ranks` at the same indices, reusing
    /// `scratch`: the Monte Carlo's inner ranking, without allocation. Each score is in [0, 100]
    /// and there are fewer than 2^20 units, so the key inverted (higher first) and the index pack
    /// into one integer and a plain integer sort orders them.
    @usableFromInline
    static func rank(
        _ scores: UnsafeBufferPointer<Double>, units: UnsafeBufferPointer<Int32>,
        into ranks: UnsafeMutableBufferPointer<Int32>,
        scratch: inout [UInt64]
    ) {
        let top = key(100)
        let count = units.count
        for position in 0..<count {
            let unit = Int(units[position])
            let inverted = UInt64(max(0, top - min(top, key(scores[unit]))))
            scratch[position] = inverted << 20 | UInt64(unit)
        }
        scratch[0..<count].sort()
        var previous = UInt64.max
        var rank: Int32 = 0
        for position in 0..<count {
            let packed = scratch[position]
            let inverted = packed >> 20
            if inverted != previous {
                rank = Int32(position + 1)
                previous = inverted
            }
            ranks[Int(packed & 0xF_FFFF)] = rank
        }
    }

    /// The most units the packed ranking holds.
    public static let maximumUnits = 1 << 20
}
