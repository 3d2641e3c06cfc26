import CMandateKernels
import Foundation

/// A method applied to one period's table, ready to score: for every component and each of its
/// normalisation options, a column of what each unit contributes, laid out flat so that scoring
/// under any weights and any choice of options is a few passes over contiguous memory.
struct ScoreModel: Sendable {
    let unitCount: Int
    let geometric: Bool
    /// The components of each pillar, as a range of component indices.
    let pillarComponents: [Range<Int>]
    /// Per component, the column of its option 0; option k is column `firstColumn[c] + k`.
    let firstColumn: [Int]
    let optionCounts: [Int]
    /// Column-major, `unitCount` per column: the term each unit adds to its pillar's weighted
    /// sum (the score, or its logarithm for a geometric mean); 0 where it has none. The Monte
    /// Carlo rewrites a satisfaction component's columns in its own copy, draw by draw.
    var terms: [Double]
    /// The satisfaction components, in the method's order: each one's index, options, direction
    /// and posterior, which the Monte Carlo draws its values from (`SatisfactionPosterior`).
    let posteriors: [(component: Int, options: [Normalisation], direction: Direction, posterior: SatisfactionPosterior)]
    let missingData: MissingDataPolicy
    /// Components no unit has (under `reweight` and `groupMean`): left out for everyone.
    let dropped: [Bool]
    /// Per component, the units that lack it while others have it (under `reweight`), in unit
    /// order. Few: a pillar's weight sum is computed once per draw and these are taken off it.
    let missing: [[Int32]]
    /// Pillar-major: how many of the pillar's components each unit has (0: the pillar is missing).
    let presentCounts: [Int32]
    /// Whether each unit has a value for at least one component; the others are unranked.
    let hasData: [Bool]
    /// The units without any value, which are not scored.
    let unscored: [Int32]
    /// Whether every pillar weighs in for every unit with a value (the usual case): then every
    /// scored unit's overall weight is the sum of the pillar weights, worked out once a draw.
    let everyPillarWeighs: Bool
    let pillarWeights: [Double]
    let componentWeights: [Double]

    /// The model of `table` under `method`; with `alternatives` false, only each component's
    /// primary normalisation is prepared (enough for the point estimate).
    init(method: RankingMethod, table: RankingTable, alternatives: Bool) throws(ValidationFailure) {
        let unitCount = table.units.count
        guard unitCount < CompetitionRanking.maximumUnits else {
            throw ValidationFailure(field: "units", reason: "at most \(CompetitionRanking.maximumUnits - 1) units")
        }
        self.unitCount = unitCount
        let geometric = method.aggregation == .geometric
        self.geometric = geometric
        let policy = method.missingData
        var ranges: [Range<Int>] = []
        var firstColumn: [Int] = []
        var optionCounts: [Int] = []
        let columnCount = method.components.reduce(0) { $0 + (alternatives ? $1.options.count : 1) }
        var terms = [Double](repeating: 0, count: columnCount * unitCount)
        var dropped: [Bool] = []
        var missing: [[Int32]] = []
        var presentCounts = [Int32](repeating: 0, count: method.pillars.count * unitCount)
        var hasData = [Bool](repeating: false, count: unitCount)
        var errors: [RowError] = []
        var componentWeights: [Double] = []
        var has = [Bool](repeating: false, count: unitCount)
        var nextColumn = 0
        var posteriors: [(Int, [Normalisation], Direction, SatisfactionPosterior)] = []
        for (p, pillar) in method.pillars.enumerated() {
            let start = firstColumn.count
            for (c, component) in pillar.components.enumerated() {
                var (indices, values) = Self.present(table.columns[component.source.key], has: &has)
                if case .satisfaction = component.source {
                    let keys = component.source.inputKeys
                    let posterior: SatisfactionPosterior
                    do {
                        posterior = try SatisfactionPosterior(
                            satisfied: table.columns[keys[0]], ratings: table.columns[keys[1]], units: table.units,
                            key: component.source.key, pseudoRatings: method.effectivePseudoRatings)
                    } catch {
                        errors.append(contentsOf: error.errors)
                        continue
                    }
                    (indices, values) = (posterior.units, posterior.values)
                    has.withUnsafeMutableBufferPointer { has in
                        has.update(repeating: false)
                        for unit in indices { has[unit] = true }
                    }
                    posteriors.append(
                        (
                            firstColumn.count, alternatives ? component.options : [component.normalisation],
                            component.direction, posterior
                        ))
                }
                for unit in indices { hasData[unit] = true }
                // Which units the component weighs in for: those that have it, or, when a missing
                // value is imputed, every unit (unless none has it under groupMean).
                let drop = indices.isEmpty && policy != .zero
                dropped.append(drop)
                var lacking: [Int32] = []
                if !drop {
                    presentCounts.withUnsafeMutableBufferPointer { presentCounts in
                        let counts = UnsafeMutableBufferPointer(
                            rebasing: presentCounts[p * unitCount..<(p + 1) * unitCount])
                        if policy != .reweight {
                            for unit in 0..<unitCount { counts[unit] += 1 }
                        } else {
                            has.withUnsafeBufferPointer { has in
                                for unit in 0..<unitCount { counts[unit] &+= has[unit] ? 1 : 0 }
                                if indices.count < unitCount {
                                    lacking = (0..<unitCount).filter { !has[$0] }.map { Int32($0) }
                                }
                            }
                        }
                    }
                }
                missing.append(lacking)
                firstColumn.append(nextColumn)
                let options = alternatives ? component.options : [component.normalisation]
                optionCounts.append(options.count)
                componentWeights.append(component.weight)
                for (k, option) in options.enumerated() {
                    let column = nextColumn * unitCount..<(nextColumn + 1) * unitCount
                    nextColumn += 1
                    if case .distanceToTarget(nil) = option {
                        let field =
                            "pillars[\(p)].components[\(c)]." + (k == 0 ? "normalisation" : "alternatives[\(k - 1)]")
                        errors.append(
                            RowError(
                                line: nil, column: field + ".target",
                                reason: "distance to target needs a target for \(component.source.key) "
                                    + "(in the method, or the indicator's target for \(table.period))"))
                        continue
                    }
                    let scores = option.scores(values, direction: component.direction)
                    terms.withUnsafeMutableBufferPointer { terms in
                        Self.fill(
                            scores, at: indices, terms: UnsafeMutableBufferPointer(rebasing: terms[column]),
                            policy: policy, geometric: geometric)
                    }
                }
            }
            ranges.append(start..<firstColumn.count)
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        self.posteriors = posteriors
        missingData = policy
        pillarComponents = ranges
        self.firstColumn = firstColumn
        self.optionCounts = optionCounts
        self.terms = terms
        self.dropped = dropped
        self.missing = missing
        self.presentCounts = presentCounts
        self.hasData = hasData
        unscored = (0..<unitCount).filter { !hasData[$0] }.map { Int32($0) }
        everyPillarWeighs = (0..<method.pillars.count).allSatisfy { p in
            (0..<unitCount).allSatisfy { !hasData[$0] || presentCounts[p * unitCount + $0] > 0 }
        }
        pillarWeights = method.pillars.map(\.weight)
        self.componentWeights = componentWeights
    }

    /// The units that have a value in `column` and their values, in unit order; `has` (one flag
    /// per unit) is set to say which.
    static func present(_ column: [Double?]?, has: inout [Bool]) -> (indices: [Int], values: [Double]) {
        has.withUnsafeMutableBufferPointer { has in
            has.update(repeating: false)
            guard let column else { return ([], []) }
            return column.withUnsafeBufferPointer { column in
                var indices: [Int] = []
                indices.reserveCapacity(column.count)
                for unit in column.indices where column[unit] != nil {
                    indices.append(unit)
                    has[unit] = true
                }
                return (indices, indices.map { column[$0]! })
            }
        }
    }

    /// One option's column (zeroed on entry): the present units' scores, and the missing ones by
    /// the policy (0 where the unit does not weigh in).
    static func fill(
        _ scores: [Double], at indices: [Int], terms: UnsafeMutableBufferPointer<Double>, policy: MissingDataPolicy,
        geometric: Bool
    ) {
        if policy == .groupMean && !scores.isEmpty {
            terms.update(repeating: scores.reduce(0, +) / Double(scores.count))
        }
        for (score, unit) in zip(scores, indices) { terms[unit] = score }
        // The zero policy's 0 becomes ln(max(0, 1)) = 0 too; under reweight a missing unit's 0
        // is never read as a term, since its weight is taken off.
        if geometric {
            for unit in terms.indices {
                terms[unit] = Foundation.log(max(terms[unit], Aggregation.geometricFloor))
            }
        }
    }
}
