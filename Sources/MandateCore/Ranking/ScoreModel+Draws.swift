import Foundation

extension ScoreModel {
    /// What the Monte Carlo's draws need beyond the model where every pillar weighs in for every
    /// scored unit: the units grouped, pillar by pillar, by which of the pillar's components they
    /// lack. A unit's pillar mean divides by the pillar's weight less the weights it lacks, which
    /// is the same for every unit of a group; so a draw divides once per group, not per unit.
    struct DrawPlan: Sendable {
        /// Pillar-major: each unit's group in the pillar (0: lacks nothing).
        let groups: [Int32]
        /// Per pillar, per group: the components its units lack, in component order.
        let lacking: [[[Int]]]
        /// The most groups any pillar has.
        let largestGroupCount: Int

        /// The plan for `model`; nil where some scored unit misses a whole pillar (the pillar
        /// then drops out of its mean, which the general `evaluate` handles) or a pillar has more
        /// than 64 components.
        init?(_ model: ScoreModel) {
            guard model.everyPillarWeighs, model.pillarComponents.allSatisfy({ $0.count <= 64 }) else { return nil }
            let count = model.unitCount
            var groups = [Int32](repeating: 0, count: model.pillarComponents.count * count)
            var lacking: [[[Int]]] = []
            var masks = [UInt64](repeating: 0, count: count)
            for (p, components) in model.pillarComponents.enumerated() {
                masks.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
                for c in components where !model.dropped[c] {
                    for unit in model.missing[c] { masks[Int(unit)] |= 1 << UInt64(c - components.lowerBound) }
                }
                var numbers: [UInt64: Int32] = [0: 0]
                var pillarLacking: [[Int]] = [[]]
                for unit in 0..<count where masks[unit] != 0 {
                    let mask = masks[unit]
                    if let number = numbers[mask] {
                        groups[p * count + unit] = number
                        continue
                    }
                    let number = Int32(pillarLacking.count)
                    numbers[mask] = number
                    groups[p * count + unit] = number
                    pillarLacking.append(components.filter { mask & (1 << UInt64($0 - components.lowerBound)) != 0 })
                }
                lacking.append(pillarLacking)
            }
            self.groups = groups
            self.lacking = lacking
            largestGroupCount = lacking.map(\.count).max() ?? 1
        }
    }

    /// Every unit's score under the given weights and options, as `evaluate` gives it, for a model
    /// with a `DrawPlan`: each pillar's weighted sum is scaled by its group's share of the overall
    /// mean (the pillar's weight over the unit's weight in the pillar and the overall weight),
    /// one division per group, and added straight into the scores. `factors` holds at least
    /// `plan.largestGroupCount` numbers.
    func evaluate(
        pillarWeights: [Double], componentWeights: [Double], options: [Int], plan: DrawPlan,
        numerator: UnsafeMutableBufferPointer<Double>, factors: UnsafeMutableBufferPointer<Double>,
        scores: UnsafeMutableBufferPointer<Double>
    ) {
        let count = unitCount
        var overallWeight = 0.0
        for weight in pillarWeights { overallWeight += weight }
        guard overallWeight > 0 else {
            scores.update(repeating: .nan)
            return
        }
        terms.withUnsafeBufferPointer { terms in
            plan.groups.withUnsafeBufferPointer { groups in
                for (p, components) in pillarComponents.enumerated() {
                    let (chosen, total) = chosenColumns(
                        components, componentWeights: componentWeights, options: options, terms: terms)
                    Self.accumulate(chosen, into: numerator)
                    let lacking = plan.lacking[p]
                    for (group, components) in lacking.enumerated() {
                        var weight = total
                        for c in components { weight -= componentWeights[c] }
                        factors[group] = pillarWeights[p] / (weight * overallWeight)
                    }
                    if lacking.count == 1 {
                        let factor = factors[0]
                        if p == 0 {
                            for unit in 0..<count { scores[unit] = numerator[unit] * factor }
                        } else {
                            for unit in 0..<count { scores[unit] += numerator[unit] * factor }
                        }
                    } else {
                        let group = UnsafeBufferPointer(rebasing: groups[p * count..<(p + 1) * count])
                        if p == 0 {
                            for unit in 0..<count { scores[unit] = numerator[unit] * factors[Int(group[unit])] }
                        } else {
                            for unit in 0..<count { scores[unit] += numerator[unit] * factors[Int(group[unit])] }
                        }
                    }
                }
            }
        }
        if geometric {
            for unit in 0..<count { scores[unit] = Foundation.exp(scores[unit]) }
        }
        for unit in unscored { scores[Int(unit)] = .nan }
    }
}
