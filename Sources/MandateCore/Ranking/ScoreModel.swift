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
    /// sum (the score, or its logarithm for a geometric mean); 0 where it has none.
    let terms: [Double]
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
        for (p, pillar) in method.pillars.enumerated() {
            let start = firstColumn.count
            for (c, component) in pillar.components.enumerated() {
                let (indices, values) = Self.present(table.columns[component.source.key], has: &has)
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

    /// A pillar's kept components: each one's weight and the column of its chosen option in
    /// `terms`, and the weights' total.
    func chosenColumns(
        _ components: Range<Int>, componentWeights: [Double], options: [Int], terms: UnsafeBufferPointer<Double>
    ) -> (columns: [(weight: Double, column: UnsafePointer<Double>)], total: Double) {
        var total = 0.0
        var chosen: [(weight: Double, column: UnsafePointer<Double>)] = []
        for c in components where !dropped[c] {
            let weight = componentWeights[c]
            total += weight
            chosen.append((weight, terms.baseAddress! + (firstColumn[c] + options[c]) * unitCount))
        }
        return (chosen, total)
    }

    /// numerator[u] = Σ weight × column[first + u] (0 without columns), four columns a pass: each
    /// pass reads and writes the sums once for four columns, which halves the memory traffic of
    /// one column at a time. The first pass writes the sums without reading them (0 + x is x).
    static func accumulate(
        _ columns: [(weight: Double, column: UnsafePointer<Double>)], from first: Int = 0,
        into numerator: UnsafeMutableBufferPointer<Double>
    ) {
        var next = accumulateFours(columns, from: first, into: numerator)
        if next == 0 && columns.isEmpty {
            numerator.update(repeating: 0)
            return
        }
        while next < columns.count {
            mandate_accumulate1(
                numerator.baseAddress!, numerator.count, next == 0, columns[next].weight, columns[next].column + first)
            next += 1
        }
    }

    /// The passes of four columns that `accumulate` begins with; the number of columns they took
    /// (a multiple of four: the sums are untouched where it is 0).
    static func accumulateFours(
        _ columns: [(weight: Double, column: UnsafePointer<Double>)], from first: Int,
        into numerator: UnsafeMutableBufferPointer<Double>
    ) -> Int {
        var next = 0
        while next + 4 <= columns.count {
            let weights = (
                columns[next].weight, columns[next + 1].weight, columns[next + 2].weight, columns[next + 3].weight
            )
            withUnsafeBytes(of: weights) { weights in
                mandate_accumulate4(
                    numerator.baseAddress!, numerator.count, next == 0,
                    weights.baseAddress!.assumingMemoryBound(to: Double.self),
                    columns[next].column + first, columns[next + 1].column + first, columns[next + 2].column + first,
                    columns[next + 3].column + first)
            }
            next += 4
        }
        return next
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
            presentCounts.withUnsafeBufferPointer { presentCounts in
                buffers.overallNumerator.withUnsafeMutableBufferPointer { overallNumerator in
                    buffers.overallDenominator.withUnsafeMutableBufferPointer { overallDenominator in
                        buffers.numerator.withUnsafeMutableBufferPointer { numerator in
                            buffers.denominator.withUnsafeMutableBufferPointer { denominator in
                                overallNumerator.update(repeating: 0)
                                if !everyPillarWeighs { overallDenominator.update(repeating: 0) }
                                var overallWeight = 0.0
                                for (p, components) in pillarComponents.enumerated() {
                                    let (chosen, total) = chosenColumns(
                                        components, componentWeights: componentWeights, options: options, terms: terms)
                                    Self.accumulate(chosen, into: numerator)
                                    // Each unit's weight: the pillar's, less what it lacks.
                                    denominator.update(repeating: total)
                                    for c in components where !dropped[c] {
                                        let weight = componentWeights[c]
                                        for unit in missing[c] { denominator[Int(unit)] -= weight }
                                    }
                                    let counts = UnsafeBufferPointer(
                                        rebasing: presentCounts[p * count..<(p + 1) * count])
                                    let pillarWeight = pillarWeights[p]
                                    // Arithmetic: the pillar score. Geometric: its logarithm,
                                    // which is also the overall mean's term (it is ≥ 0).
                                    if everyPillarWeighs {
                                        for unit in 0..<count {
                                            overallNumerator[unit] +=
                                                pillarWeight * (numerator[unit] / denominator[unit])
                                        }
                                    } else {
                                        for unit in 0..<count {
                                            let weighs = counts[unit] > 0
                                            let mean = numerator[unit] / denominator[unit]
                                            overallNumerator[unit] += weighs ? pillarWeight * mean : 0
                                            overallDenominator[unit] += weighs ? pillarWeight : 0
                                        }
                                    }
                                    overallWeight += pillarWeight
                                    if let pillarScores {
                                        for unit in 0..<count {
                                            let mean = numerator[unit] / denominator[unit]
                                            pillarScores[p * count + unit] =
                                                counts[unit] > 0 ? (geometric ? Foundation.exp(mean) : mean) : .nan
                                        }
                                    }
                                }
                                // The means first, in a loop free of branches; then NaN where
                                // there is nothing to score.
                                scores.withUnsafeMutableBufferPointer { scores in
                                    if everyPillarWeighs {
                                        for unit in 0..<count { scores[unit] = overallNumerator[unit] / overallWeight }
                                    } else {
                                        for unit in 0..<count {
                                            scores[unit] = overallNumerator[unit] / overallDenominator[unit]
                                        }
                                    }
                                    if geometric {
                                        for unit in 0..<count { scores[unit] = Foundation.exp(scores[unit]) }
                                    }
                                    if !everyPillarWeighs {
                                        hasData.withUnsafeBufferPointer { hasData in
                                            for unit in 0..<count
                                            where !(overallDenominator[unit] > 0 && hasData[unit]) {
                                                scores[unit] = .nan
                                            }
                                        }
                                    } else if overallWeight > 0 {
                                        for unit in unscored { scores[Int(unit)] = .nan }
                                    } else {
                                        scores.update(repeating: .nan)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
