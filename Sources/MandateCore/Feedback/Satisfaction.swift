import Foundation

/// How many ratings gave each score, 1 to 5.
public struct ScoreCounts: Codable, Sendable, Hashable {
    /// `counts[0]` ratings of 1 … `counts[4]` ratings of 5.
    public var counts: [Int]

    public init(_ counts: [Int] = [0, 0, 0, 0, 0]) {
        precondition(counts.count == 5, "five scores")
        self.counts = counts
    }

    public mutating func add(score: Int, count: Int = 1) {
        guard FeedbackDraft.scores.contains(score) else { return }
        counts[score - 1] += count
    }

    public mutating func add(_ other: ScoreCounts) {
        for index in counts.indices { counts[index] += other.counts[index] }
    }

    public var n: Int { counts.reduce(0, +) }
    /// Ratings of 4 or 5.
    public var satisfied: Int { counts[3] + counts[4] }
}

/// The counts of one unit's ratings over a period: the overall score and each SIPAS factor.
public struct FeedbackCounts: Codable, Sendable, Hashable {
    public var overall = ScoreCounts()
    public var factors: [SipasFactor: ScoreCounts] = [:]

    public init() {}

    public mutating func add(_ other: FeedbackCounts) {
        overall.add(other.overall)
        for (factor, counts) in other.factors { factors[factor, default: ScoreCounts()].add(counts) }
    }
}

/// A satisfaction figure as it may be published (docs/FEEDBACK.md, "Figures"): the share of
/// ratings of 4 or 5 with its Wilson score interval at 95 %, the mean score and n. Under
/// `minimum` ratings nothing but n is shown; an interval wider than `uncertainWidth` marks the
/// figure uncertain.
public struct Satisfaction: Sendable, Hashable {
    public var n: Int
    public var satisfied: Int
    /// satisfied ÷ n (0 when n is 0).
    public var share: Double
    /// The Wilson score interval of the share at 95 %.
    public var low: Double
    public var high: Double
    /// The mean score, 1–5 (0 when n is 0).
    public var mean: Double
    /// n ≥ the minimum: the figure may be shown.
    public var isShown: Bool
    /// The interval is wider than the limit: shown, marked uncertain.
    public var isUncertain: Bool

    /// Nothing is published under 30 ratings, as statistical offices do.
    public static let defaultMinimum = 30
    /// An interval wider than 20 points marks a figure uncertain.
    public static let uncertainWidth = 0.20
    /// The standard normal quantile of 97.5 %.
    public static let z = 1.959963984540054

    /// The figure of `counts`.
    public static func of(_ counts: ScoreCounts, minimum: Int = defaultMinimum) -> Satisfaction {
        let n = counts.n
        let satisfied = counts.satisfied
        let (low, high) = wilson(successes: satisfied, n: n)
        let total = counts.counts.enumerated().reduce(0) { $0 + ($1.offset + 1) * $1.element }
        return Satisfaction(
            n: n, satisfied: satisfied, share: n == 0 ? 0 : Double(satisfied) / Double(n), low: low, high: high,
            mean: n == 0 ? 0 : Double(total) / Double(n), isShown: n >= minimum && n > 0,
            isUncertain: high - low > uncertainWidth)
    }

    /// The Wilson score interval of a proportion (`successes` of `n`) at 95 %; (0, 1) for n = 0.
    ///
    /// centre = (p + z²/2n) ÷ (1 + z²/n), half-width = z √(p(1−p)/n + z²/4n²) ÷ (1 + z²/n).
    public static func wilson(successes: Int, n: Int) -> (low: Double, high: Double) {
        guard n > 0 else { return (0, 1) }
        let count = Double(n)
        let p = Double(successes) / count
        let z2 = z * z
        let denominator = 1 + z2 / count
        let centre = (p + z2 / (2 * count)) / denominator
        let half = z * (p * (1 - p) / count + z2 / (4 * count * count)).squareRoot() / denominator
        return (max(0, centre - half), min(1, centre + half))
    }
}
