/// Running totals from which every roll-up method is read, kept per (indicator, unit, period).
///
/// They add and subtract, so a changed value updates its ancestors by a difference and no batch
/// job has to recompute anything: `value(_:)` reads the roll-up from them at any time.
public struct RollupTotals: Sendable, Hashable, Codable {
    /// Σ value.
    public var sum: Double
    /// How many values.
    public var count: Int
    /// Σ value × weight, over the values whose unit has a weight.
    public var weightedSum: Double
    /// Σ weight, over the same values.
    public var weight: Double

    public init(sum: Double = 0, count: Int = 0, weightedSum: Double = 0, weight: Double = 0) {
        self.sum = sum
        self.count = count
        self.weightedSum = weightedSum
        self.weight = weight
    }

    public static let zero = RollupTotals()

    /// One value's share; `weight` is the same unit's value of the denominator indicator, if any.
    public init(value: Double, weight: Double?) {
        self.init(sum: value, count: 1, weightedSum: value * (weight ?? 0), weight: weight ?? 0)
    }

    public var isZero: Bool { self == .zero }

    public static func + (lhs: RollupTotals, rhs: RollupTotals) -> RollupTotals {
        RollupTotals(
            sum: lhs.sum + rhs.sum, count: lhs.count + rhs.count, weightedSum: lhs.weightedSum + rhs.weightedSum,
            weight: lhs.weight + rhs.weight)
    }

    public static func - (lhs: RollupTotals, rhs: RollupTotals) -> RollupTotals {
        RollupTotals(
            sum: lhs.sum - rhs.sum, count: lhs.count - rhs.count, weightedSum: lhs.weightedSum - rhs.weightedSum,
            weight: lhs.weight - rhs.weight)
    }

    public static func += (lhs: inout RollupTotals, rhs: RollupTotals) { lhs = lhs + rhs }

    /// The roll-up by `method`; nil when there is nothing to combine (or the method is `none`).
    ///
    /// - sum: Σ value; - mean: Σ value ÷ n; - weighted mean: Σ value × weight ÷ Σ weight, over
    ///   the values whose unit reported the denominator (nil when that weight is zero).
    public func value(_ method: RollupMethod) -> Double? {
        guard count > 0 else { return nil }
        switch method {
        case .sum: return sum
        case .mean: return sum / Double(count)
        case .weightedMean: return weight > 0 ? weightedSum / weight : nil
        case .none: return nil
        }
    }
}

/// Roll-up of plain lists of values, the reference the incremental totals must agree with.
public enum Rollup {
    /// Combines `values` (each with its unit's denominator value, if any) by `method`.
    public static func combine(_ method: RollupMethod, _ values: [(value: Double, weight: Double?)]) -> Double? {
        values.reduce(RollupTotals.zero) { $0 + RollupTotals(value: $1.value, weight: $1.weight) }.value(method)
    }

    /// Combines values without weights (sum, mean, none).
    public static func combine(_ method: RollupMethod, _ values: [Double]) -> Double? {
        combine(method, values.map { (value: $0, weight: nil) })
    }
}
