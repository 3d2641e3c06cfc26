import MandateCore

/// Small methods and tables whose results can be worked out by hand.
enum RankingFixtures {
    static func method(
        _ pillars: [RankingMethod.Pillar], aggregation: Aggregation = .arithmetic,
        missingData: MissingDataPolicy = .reweight, draws: Int = 0
    ) -> RankingMethod {
        RankingMethod(
            id: "test", version: 1, nameVi: "Thử", nameEn: "Test", unitKind: .province, aggregation: aggregation,
            missingData: missingData, pillars: pillars, uncertainty: .init(draws: draws))
    }

    static func pillar(_ code: String, weight: Double, _ components: [RankingMethod.Component]) -> RankingMethod.Pillar
    {
        RankingMethod.Pillar(code: code, nameVi: code, nameEn: code, weight: weight, components: components)
    }

    static func component(
        _ code: String, weight: Double = 1, direction: Direction = .higher, _ normalisation: Normalisation = .minMax,
        alternatives: [Normalisation] = []
    ) -> RankingMethod.Component {
        RankingMethod.Component(
            code: code, source: .indicator(code), weight: weight, direction: direction, normalisation: normalisation,
            alternatives: alternatives)
    }

    /// A table from rows of `unit: [source: value]`.
    static func table(
        _ values: [String: [String: Double]], period: String = "2025", units: [String] = []
    )
        -> RankingTable
    {
        RankingTable(period: period, values: values, units: units)
    }
}
