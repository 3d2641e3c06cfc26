extension RankingMethod {
    /// The method with every distance-to-target normalisation that names no target given its
    /// indicator's target for `year`: the target set for that year, or else the next one set after
    /// it (the milestone being worked towards). A published ranking freezes the method resolved
    /// this way, so that it is recomputed without the indicator definitions.
    public func resolvingTargets(year: Int, indicators: [String: Indicator]) -> RankingMethod {
        var method = self
        for p in method.pillars.indices {
            for c in method.pillars[p].components.indices {
                let component = method.pillars[p].components[c]
                guard case .indicator(let code) = component.source,
                    let target = indicators[code].flatMap({ Self.target(of: $0, for: year) })
                else { continue }
                func resolved(_ option: Normalisation) -> Normalisation {
                    if case .distanceToTarget(nil) = option { return .distanceToTarget(target: target) }
                    return option
                }
                method.pillars[p].components[c].normalisation = resolved(component.normalisation)
                method.pillars[p].components[c].alternatives = component.alternatives.map(resolved)
            }
        }
        return method
    }

    static func target(of indicator: Indicator, for year: Int) -> Double? {
        indicator.target(for: year) ?? indicator.targets.first { $0.year > year }?.value
    }
}
