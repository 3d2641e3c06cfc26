import CMandateKernels
import Foundation

/// Scoring every unit under one choice of weights and options.
extension ScoreModel {
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
