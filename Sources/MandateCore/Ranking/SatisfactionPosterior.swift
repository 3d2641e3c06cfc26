import Foundation

/// A satisfaction component's values in one period (docs/RANKING.md, "Satisfaction"): each unit's
/// share satisfied, shrunk toward the pooled share by m pseudo-ratings, and the posterior the
/// Monte Carlo draws it from.
///
/// A unit with r ratings of which s satisfied (4 or 5), where all the units of the table that
/// have ratings pool to p = Σs ÷ Σr, has the value 100 × μ with μ = (s + m·p) ÷ (r + m): the mean
/// of the posterior Beta(s + m·p, r − s + m·(1 − p)) of a Beta prior worth m ratings at p. Its
/// draws take the normal with that posterior's mean and variance, μ(1 − μ) ÷ (r + m + 1), clipped
/// to [0, 1]. A unit without ratings has no value.
struct SatisfactionPosterior: Sendable, Hashable {
    /// The units with ratings, in table order.
    let units: [Int]
    /// Each one's posterior mean μ and standard deviation.
    let means: [Double]
    let deviations: [Double]

    /// The source's two columns, `satisfaction:NAME:satisfied` and `…:ratings`, aligned with the
    /// table's units; a count that is not a whole number from 0 (satisfied: up to the ratings) is
    /// refused with the unit and the column.
    init(
        satisfied: [Double?]?, ratings: [Double?]?, units: [String], key: String, pseudoRatings: Int
    ) throws(ValidationFailure) {
        var present: [Int] = []
        var counts: [(s: Double, r: Double)] = []
        var errors: [RowError] = []
        for index in units.indices {
            let r = ratings?[index] ?? nil
            let s = satisfied?[index] ?? nil
            guard r != nil || s != nil else { continue }
            guard let r, let s, Self.isCount(r), Self.isCount(s), s <= r else {
                errors.append(
                    RowError(
                        line: nil, column: key,
                        reason: "unit \(units[index]): \(key):satisfied and \(key):ratings are whole numbers, "
                            + "the satisfied at most the ratings"))
                continue
            }
            guard r > 0 else { continue }
            present.append(index)
            counts.append((s, r))
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        let m = Double(pseudoRatings)
        let pooled = counts.reduce(0) { $0 + $1.s } / max(1, counts.reduce(0) { $0 + $1.r })
        self.units = present
        means = counts.map { ($0.s + m * pooled) / ($0.r + m) }
        deviations = zip(counts, means).map { count, mean in (mean * (1 - mean) / (count.r + m + 1)).squareRoot() }
    }

    private static func isCount(_ value: Double) -> Bool {
        value >= 0 && value <= 1e12 && value.rounded() == value
    }

    /// The values of the point estimate, 0–100, for `units`.
    var values: [Double] { means.map { 100 * $0 } }

    /// The seed of the satisfaction draws' stream: the method's seed ⊕ "SATISFAC" in ASCII, so
    /// that the weights' stream stays as it is.
    static func seed(_ seed: UInt64) -> UInt64 { seed ^ 0x5341_5449_5346_4143 }

    /// The values of draw `draw` for the satisfaction component `component` (its place among the
    /// method's satisfaction components, of `components`) in a table of `unitCount` units: unit i
    /// takes the outputs n = 2((draw·components + component)·unitCount + i) + 1 and n + 1 of the
    /// satisfaction stream as u₁, u₂; z = √(−2 ln(1 − u₁)) · cos(2π u₂) (Box–Muller); the value is
    /// 100 × min(1, max(0, μ + σz)).
    func drawn(draw: Int, component: Int, components: Int, unitCount: Int, seed: UInt64) -> [Double] {
        let stream = Self.seed(seed)
        let base = UInt64((draw * components + component) * unitCount)
        var values = [Double](repeating: 0, count: units.count)
        for (position, unit) in units.enumerated() {
            let n = 2 * (base + UInt64(unit)) + 1
            let u1 = SplitMix64.uniform(SplitMix64.output(seed: stream, at: n))
            let u2 = SplitMix64.uniform(SplitMix64.output(seed: stream, at: n + 1))
            let z = (-2 * Foundation.log(1 - u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
            values[position] = 100 * min(1, max(0, means[position] + deviations[position] * z))
        }
        return values
    }
}

extension ScoreModel {
    /// Rewrites each satisfaction component's column of its option in `options` with the scores
    /// of draw `draw`'s values (`SatisfactionPosterior.drawn`), normalised among themselves and
    /// filled by the missing-data policy as the point estimate's are.
    mutating func redraw(_ draw: Int, options: [Int], seed: UInt64) {
        for (index, entry) in posteriors.enumerated() {
            let values = entry.posterior.drawn(
                draw: draw, component: index, components: posteriors.count, unitCount: unitCount, seed: seed)
            let option = options[entry.component]
            let scores = entry.options[option].scores(values, direction: entry.direction)
            let column =
                (firstColumn[entry.component] + option) * unitCount..<(firstColumn[entry.component] + option + 1)
                * unitCount
            let (policy, geometric, units) = (missingData, geometric, entry.posterior.units)
            terms.withUnsafeMutableBufferPointer { terms in
                let slice = UnsafeMutableBufferPointer(rebasing: terms[column])
                slice.update(repeating: 0)
                Self.fill(scores, at: units, terms: slice, policy: policy, geometric: geometric)
            }
        }
    }
}
