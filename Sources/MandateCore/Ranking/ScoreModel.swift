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
    /// sum (the score, or its logarithm for a geometric mean); 0 where it has none.
    let terms: [Double]
    /// 1 where the unit has the term (it then weighs in the pillar's mean), 0 where it does not.
    let present: [Double]
    /// Whether each unit has a value for at least one component; the others are unranked.
    let hasData: [Bool]
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
        geometric = method.aggregation == .geometric
        var ranges: [Range<Int>] = []
        var firstColumn: [Int] = []
        var optionCounts: [Int] = []
        var terms: [Double] = []
        var present: [Double] = []
        var hasData = [Bool](repeating: false, count: unitCount)
        var errors: [RowError] = []
        var componentWeights: [Double] = []
        for (p, pillar) in method.pillars.enumerated() {
            let start = firstColumn.count
            for (c, component) in pillar.components.enumerated() {
                let column = table.columns[component.source.key] ?? Array(repeating: nil, count: unitCount)
                var indices: [Int] = []
                var values: [Double] = []
                for (unit, value) in column.enumerated() {
                    if let value {
                        indices.append(unit)
                        values.append(value)
                        hasData[unit] = true
                    }
                }
                firstColumn.append(optionCounts.reduce(0, +))
                let options = alternatives ? component.options : [component.normalisation]
                optionCounts.append(options.count)
                componentWeights.append(component.weight)
                for (k, option) in options.enumerated() {
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
                    let filled = Self.fill(
                        scores, at: indices, unitCount: unitCount, policy: method.missingData, geometric: geometric)
                    terms += filled.terms
                    present += filled.present
                }
            }
            ranges.append(start..<firstColumn.count)
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        pillarComponents = ranges
        self.firstColumn = firstColumn
        self.optionCounts = optionCounts
        self.terms = terms
        self.present = present
        self.hasData = hasData
        pillarWeights = method.pillars.map(\.weight)
        self.componentWeights = componentWeights
    }

    /// One option's column: the present units' scores, and the missing ones by the policy.
    static func fill(
        _ scores: [Double], at indices: [Int], unitCount: Int, policy: MissingDataPolicy, geometric: Bool
    ) -> (terms: [Double], present: [Double]) {
        var values = [Double](repeating: 0, count: unitCount)
        var present = [Double](repeating: 0, count: unitCount)
        switch policy {
        case .reweight:
            break
        case .groupMean:
            // No unit has it: nothing to impute, and the component drops out for everyone.
            if !scores.isEmpty {
                let mean = scores.reduce(0, +) / Double(scores.count)
                values = Array(repeating: mean, count: unitCount)
                present = Array(repeating: 1, count: unitCount)
            }
        case .zero:
            present = Array(repeating: 1, count: unitCount)
        }
        for (score, unit) in zip(scores, indices) {
            values[unit] = score
            present[unit] = 1
        }
        if geometric {
            for unit in 0..<unitCount where present[unit] == 1 {
                values[unit] = Foundation.log(max(values[unit], Aggregation.geometricFloor))
            }
        }
        return (values, present)
    }

    /// Work space for `evaluate`, reused across draws.
    struct Buffers {
        var numerator: [Double]
        var denominator: [Double]
        var overallNumerator: [Double]
        var overallDenominator: [Double]

        init(unitCount: Int) {
            numerator = Array(repeating: 0, count: unitCount)
            denominator = numerator
            overallNumerator = numerator
            overallDenominator = numerator
        }
    }

    /// Every unit's score under the given weights and options (index per component), written to
    /// `scores` (NaN for a unit with nothing to score); each pillar's score to `pillarScores`
    /// (pillar-major, NaN where missing) when given.
    func evaluate(
        pillarWeights: [Double], componentWeights: [Double], options: [Int], buffers: inout Buffers,
        scores: inout [Double], pillarScores: UnsafeMutableBufferPointer<Double>? = nil
    ) {
        let count = unitCount
        terms.withUnsafeBufferPointer { terms in
            present.withUnsafeBufferPointer { present in
                buffers.overallNumerator.withUnsafeMutableBufferPointer { overallNumerator in
                    buffers.overallDenominator.withUnsafeMutableBufferPointer { overallDenominator in
                        buffers.numerator.withUnsafeMutableBufferPointer { numerator in
                            buffers.denominator.withUnsafeMutableBufferPointer { denominator in
                                overallNumerator.update(repeating: 0)
                                overallDenominator.update(repeating: 0)
                                for (p, components) in pillarComponents.enumerated() {
                                    numerator.update(repeating: 0)
                                    denominator.update(repeating: 0)
                                    for c in components {
                                        let weight = componentWeights[c]
                                        let base = (firstColumn[c] + options[c]) * count
                                        for unit in 0..<count {
                                            numerator[unit] += weight * terms[base + unit]
                                            denominator[unit] += weight * present[base + unit]
                                        }
                                    }
                                    let pillarWeight = pillarWeights[p]
                                    for unit in 0..<count where denominator[unit] > 0 {
                                        // Arithmetic: the pillar score. Geometric: its logarithm,
                                        // which is also the overall mean's term (it is ≥ 0).
                                        let mean = numerator[unit] / denominator[unit]
                                        overallNumerator[unit] += pillarWeight * mean
                                        overallDenominator[unit] += pillarWeight
                                    }
                                    if let pillarScores {
                                        for unit in 0..<count {
                                            let mean = numerator[unit] / denominator[unit]
                                            pillarScores[p * count + unit] =
                                                denominator[unit] > 0 ? (geometric ? Foundation.exp(mean) : mean) : .nan
                                        }
                                    }
                                }
                                for unit in 0..<count {
                                    let mean = overallNumerator[unit] / overallDenominator[unit]
                                    scores[unit] =
                                        overallDenominator[unit] > 0 && hasData[unit]
                                        ? (geometric ? Foundation.exp(mean) : mean) : .nan
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
