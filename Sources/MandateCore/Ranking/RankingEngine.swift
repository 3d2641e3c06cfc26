/// Computes a period's ranking by a method: scores, ranks, pillar scores, change since the
/// previous period, the most improved, and each rank's Monte Carlo interval.
/// docs/RANKING.md states every step; the Python reference in `reference/` implements it again.
public struct RankingEngine: Sendable {
    public let method: RankingMethod

    /// An engine for a valid method; an invalid one is refused with its problems.
    public init(method: RankingMethod) throws(ValidationFailure) {
        try method.validate()
        self.method = method
    }

    /// The ranking of `table`, with the change since `previous` when given, and the Monte Carlo
    /// intervals unless the method's (or the overriding `uncertainty`'s) draws are 0. The digest of
    /// the inputs is left to the publisher (`RankingTable.digest`), as it is not part of the ranking.
    public func rank(
        _ table: RankingTable, previous: RankingTable? = nil, uncertainty: RankingMethod.Uncertainty? = nil
    ) throws(ValidationFailure) -> RankingResult {
        let settings = uncertainty ?? method.uncertainty
        let problems = settings.problems()
        if !problems.isEmpty { throw ValidationFailure(problems) }
        let model = try ScoreModel(method: method, table: table, alternatives: settings.draws > 0)
        let point = pointEstimate(model)
        var previousByUnit: [String: (score: Double, rank: Int)] = [:]
        if let previous {
            let previousModel = try ScoreModel(method: method, table: previous, alternatives: false)
            let previousPoint = pointEstimate(previousModel)
            for (index, unit) in previous.units.enumerated() {
                if let score = previousPoint.scores[index], let rank = previousPoint.ranks[index] {
                    previousByUnit[unit] = (score, rank)
                }
            }
        }
        let intervals = settings.draws > 0 ? MonteCarlo(model: model, settings: settings).intervals() : nil

        var units: [UnitRanking] = []
        var changes: [Double?] = []
        for (index, code) in table.units.enumerated() {
            var result = UnitRanking(
                unit: code, score: point.scores[index], rank: point.ranks[index],
                pillars: method.pillars.enumerated().map { p, pillar in
                    PillarScore(pillar: pillar.code, score: point.pillars[p][index])
                },
                interval: intervals?[index])
            if let score = result.score, let rank = result.rank, let before = previousByUnit[code] {
                result.previousScore = before.score
                result.previousRank = before.rank
                result.scoreChange = score - before.score
                result.rankChange = before.rank - rank
            }
            changes.append(result.scoreChange)
            units.append(result)
        }
        for (index, rank) in CompetitionRanking.ranks(changes).enumerated() {
            units[index].improvementRank = rank
        }
        units.sort { first, second in
            switch (first.rank, second.rank) {
            case (let a?, let b?) where a != b: a < b
            case (.some, nil): true
            case (nil, .some): false
            default: RankingTable.codeOrder(first.unit, second.unit)
            }
        }
        return RankingResult(
            methodId: method.id, methodVersion: method.version, period: table.period,
            previousPeriod: previous?.period, uncertainty: settings.draws > 0 ? settings : nil, units: units)
    }

    /// Scores, ranks and pillar scores by the method as written (option 0, weights unperturbed).
    func pointEstimate(_ model: ScoreModel) -> (scores: [Double?], ranks: [Int?], pillars: [[Double?]]) {
        let count = model.unitCount
        var buffers = ScoreModel.Buffers(unitCount: count)
        var scores = [Double](repeating: .nan, count: count)
        var pillars = [Double](repeating: .nan, count: count * method.pillars.count)
        pillars.withUnsafeMutableBufferPointer { pillarScores in
            model.evaluate(
                pillarWeights: model.pillarWeights, componentWeights: model.componentWeights,
                options: Array(repeating: 0, count: model.componentWeights.count), buffers: &buffers, scores: &scores,
                pillarScores: pillarScores)
        }
        let optionalScores = scores.map { $0.isNaN ? nil : $0 }
        return (
            optionalScores, CompetitionRanking.ranks(optionalScores),
            method.pillars.indices.map { p in
                (0..<count).map { unit in
                    let score = pillars[p * count + unit]
                    return score.isNaN || !model.hasData[unit] ? nil : score
                }
            }
        )
    }
}
